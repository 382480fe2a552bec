package io.steadfast.inbox;

import java.util.Locale;

/** The states of an inbox event; README.md in this package draws the transitions. */
public enum InboxState {
    PENDING, PROCESSING, DONE, DEAD;

    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }
}
