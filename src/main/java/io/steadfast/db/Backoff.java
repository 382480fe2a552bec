package io.steadfast.db;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * How long a loop that lost the database waits before its next try: exponential from 100 ms to 5 s, with jitter so
 * that a fleet of workers and listeners does not reconnect in step after a restart.
 */
public final class Backoff {
    public static final IntervalFunction AFTER_FAILURE =
            IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(5));

    private Backoff() {
    }

    /** The wait before try number {@code failures + 1}, after {@code failures} failures in a row (1 or more). */
    public static long millisAfter(int failures) {
        return AFTER_FAILURE.apply(Math.max(1, failures));
    }
}
