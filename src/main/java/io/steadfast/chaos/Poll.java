package io.steadfast.chaos;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline, checked every few milliseconds, instead of sleeping a guessed time. */
public final class Poll {
    static final long INTERVAL_MS = 20;

    private Poll() {
    }

    /** Returns once {@code condition} holds; throws, naming {@code what}, when it still does not after {@code patience}. */
    public static void until(Duration patience, String what, BooleanSupplier condition) {
        if (!within(patience, condition)) {
            throw new IllegalStateException(what + " did not happen within " + patience.toSeconds() + " s");
        }
    }

    /** Whether {@code condition} came to hold within {@code patience}. */
    public static boolean within(Duration patience, BooleanSupplier condition) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LocalCluster.sleep(INTERVAL_MS);
        }
        return true;
    }

    /** The first value of {@code attempt} that {@code done} accepts, or the last one when {@code patience} runs out. */
    public static <T> T settle(Duration patience, Supplier<T> attempt, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            T value = attempt.get();
            if (done.test(value) || System.nanoTime() > deadline) {
                return value;
            }
            LocalCluster.sleep(INTERVAL_MS * 5);
        }
    }
}
