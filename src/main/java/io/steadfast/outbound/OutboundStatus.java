package io.steadfast.outbound;

import java.util.Locale;

/**
 * Where an outbound message stands. {@code queued} and {@code sending} are ours; the provider's statuses only move
 * forward ({@code sent < delivered < read}); {@code failed} is final; {@code unknown} means a call may have reached the
 * provider without its answer reaching us, and only evidence (a status webhook) settles it.
 */
public enum OutboundStatus {
    QUEUED(0), SENDING(1), UNKNOWN(2), SENT(3), DELIVERED(4), READ(5), FAILED(6);

    private final int rank;

    OutboundStatus(int rank) {
        this.rank = rank;
    }

    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OutboundStatus fromSql(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /**
     * Of two reports on one message in one batch, the one that wins: the furthest, and a delivery over a failure
     * report (the message did arrive).
     */
    int batchPriority() {
        return this == FAILED ? 35 : rank * 10;
    }

    /** Whether a provider's report of {@code next} may replace this status: forward only, and nothing after failed or read. */
    public boolean mayBecome(OutboundStatus next) {
        if (this == FAILED || this == READ || next == QUEUED || next == SENDING || next == UNKNOWN) {
            return false;
        }
        return next == FAILED ? this != DELIVERED : next.rank > rank;
    }
}
