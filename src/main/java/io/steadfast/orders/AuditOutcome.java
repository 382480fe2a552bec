package io.steadfast.orders;

import java.util.Locale;

/** What became of one order delivery, as its audit row says. The database stores {@link #sql()}. */
public enum AuditOutcome {
    /** Applied: the order now holds this version. */
    PROCESSED,
    /** Stale, superseded, or a repeat of the same merchant action: nothing changed, with the reason. */
    DISCARDED,
    /** Could not be applied; the reason says why. */
    FAILED;

    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }
}
