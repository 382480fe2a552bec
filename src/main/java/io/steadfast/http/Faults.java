package io.steadfast.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failures injected on purpose into the webhook endpoints, to prove that a provider's retry of a failed delivery
 * stores the event exactly once. Off unless a test or the chaos suite arms it.
 */
public final class Faults {
    /** Where the injected 500 happens. */
    public enum Point {
        /** Before anything is read or stored: the delivery is simply lost. */
        BEFORE_COMMIT,
        /** After the events are committed: stored, but the provider sees a failure and retries. */
        AFTER_COMMIT
    }

    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Point point = Point.BEFORE_COMMIT;

    /** The next {@code count} webhook requests fail with 500 at {@code point}. */
    public void failNextWebhooks(int count, Point point) {
        this.point = point;
        remaining.set(count);
    }

    boolean take(Point at) {
        if (point != at) {
            return false;
        }
        return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
