package io.steadfast.retention;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The pruner's duty cycle: after each batch it rests {@link #REST_FACTOR} times as long as the batch took (at least
 * {@link #MIN_REST}), so it never takes more than a fifth of the database's time from ingestion, and slows down by
 * itself when the database is busy and batches take longer.
 */
public final class Pacing implements Sweep.Pace {
    static final int REST_FACTOR = 4;
    static final Duration MIN_REST = Duration.ofMillis(5);

    private final java.util.function.BooleanSupplier running;
    private long batchStarted = System.nanoTime();

    public Pacing(java.util.function.BooleanSupplier running) {
        this.running = running;
    }

    @Override
    public boolean next() {
        long took = System.nanoTime() - batchStarted;
        LockSupport.parkNanos(Math.max(MIN_REST.toNanos(), took * REST_FACTOR));
        batchStarting();
        return running.getAsBoolean();
    }

    /** The next batch starts now: what a caller that held the sweep after its rest must say before letting it go. */
    public void batchStarting() {
        batchStarted = System.nanoTime();
    }
}
