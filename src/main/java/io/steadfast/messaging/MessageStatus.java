package io.steadfast.messaging;

import java.util.Locale;
import java.util.Optional;

/**
 * Delivery statuses of a message, in the only order they may take effect. A report moves the message to its
 * status only if that ranks higher than the current one, so the final status is the furthest ever reported,
 * whatever order the reports arrive in: a late {@code delivered} never overwrites {@code read}, and a late
 * {@code sent} never revives a {@code failed}.
 */
public enum MessageStatus {
    RECEIVED(0), SENT(1), DELIVERED(2), READ(3), FAILED(4);

    /** The rank stored for a status we record but never act on (a value the provider added later). */
    public static final int UNRANKED = -1;

    private final int rank;

    MessageStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a message ends in after seeing both. */
    public static MessageStatus furthest(MessageStatus a, MessageStatus b) {
        return b.rank > a.rank ? b : a;
    }

    /** A provider status by its wire name; empty for a status this version does not act on. */
    public static Optional<MessageStatus> fromWire(String value) {
        for (MessageStatus s : values()) {
            if (s != RECEIVED && s.wire().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public static int rankOf(String wire) {
        return fromWire(wire).map(MessageStatus::rank).orElse(UNRANKED);
    }
}
