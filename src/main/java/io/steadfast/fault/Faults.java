package io.steadfast.fault;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failures injected on purpose, to prove that Steadfast keeps its promises through them. Off unless a test arms
 * one ({@link #failNextWebhooks}) or the process runs with fault injection on and the chaos suite switches one on
 * through {@link FaultSwitchboard}.
 */
public final class Faults {
    /** Where an injected webhook failure happens. */
    public enum Point {
        /** Before anything is read or stored: the delivery is simply lost. */
        BEFORE_COMMIT(Fault.WEBHOOK_500_BEFORE_COMMIT),
        /** After the events are committed: stored, but the provider sees a failure and retries. */
        AFTER_COMMIT(Fault.WEBHOOK_500_AFTER_COMMIT);

        private final Fault fault;

        Point(Fault fault) {
            this.fault = fault;
        }
    }

    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicInteger checkoutFailures = new AtomicInteger();
    private volatile Point point = Point.BEFORE_COMMIT;
    private volatile Map<Fault, Long> active = Map.of();

    /** The next {@code count} webhook requests fail with 500 at {@code point}. */
    public void failNextWebhooks(int count, Point point) {
        this.point = point;
        remaining.set(count);
    }

    /** Whether this webhook request should fail at {@code at}. */
    public boolean failWebhook(Point at) {
        if (active.containsKey(at.fault)) {
            return true;
        }
        return point == at && remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** The next {@code count} store orders fail after taking their stock, before commit. */
    public void failNextCheckouts(int count) {
        checkoutFailures.set(count);
    }

    /** Whether this store order should fail after taking its stock, before its transaction commits. */
    public boolean failCheckout() {
        long percent = active.getOrDefault(Fault.CHECKOUT_FAIL_PERCENT, 0L);
        if (percent > 0 && java.util.concurrent.ThreadLocalRandom.current().nextLong(100) < percent) {
            return true;
        }
        return checkoutFailures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** Extra time each handler call takes, holding its lease and transaction open. */
    public Duration handlerDelay() {
        return Duration.ofMillis(active.getOrDefault(Fault.HANDLER_DELAY_MS, 0L));
    }

    void setActive(Map<Fault, Long> faults) {
        active = Map.copyOf(faults);
    }
}
