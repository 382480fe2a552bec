package io.steadfast.inbox;

import java.util.Locale;

/** Where an inbox event is in its life; drawn in this package's README. The database stores {@link #sql()}. */
public enum EventStatus {
    PENDING, PROCESSING, DONE, DEAD;

    /** The value of {@code inbox_event.status}. */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventStatus of(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
