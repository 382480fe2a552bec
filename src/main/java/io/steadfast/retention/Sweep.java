package io.steadfast.retention;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/** One table's rows past their retention, deleted a small batch (one short transaction) at a time. */
public interface Sweep {
    /** Rows a batch deletes at most: small enough that no writer waits on it for long. */
    int BATCH = 1_000;

    /** What it prunes, for logs and the benchmark. */
    String name();

    /**
     * Deletes the rows older than {@code horizon}, calling {@code pace} between batches; returns how many went.
     * Stops early when {@code pace} says so.
     */
    long sweep(Jdbi jdbi, Instant horizon, Pace pace);

    /**
     * Runs one batch's delete in a transaction that does not wait for its WAL to reach the disk: a delete lost to a
     * crash is simply made again by the next run, and ingestion's commits do not queue behind the pruner's flushes.
     */
    static int deleteBatch(Jdbi jdbi, org.jdbi.v3.core.HandleCallback<Integer, RuntimeException> delete) {
        return jdbi.inTransaction(h -> {
            h.execute("SET LOCAL synchronous_commit = off");
            return delete.withHandle(h);
        });
    }

    /** What one batch of a {@link #walk} did: the last key it read, the rows it deleted, whether the walk is over. */
    record Batch(long lastKey, long deleted, boolean last) {
    }

    /** One batch of a walk: reads the rows after {@code after} along the table's key, deletes the old ones among them. */
    interface Step {
        Batch after(long after);
    }

    /**
     * Walks a table along its key from the oldest row, a batch at a time, until a batch says it was the last (it met a
     * row young enough to keep, or the end) or {@code pace} says stop; returns the rows deleted.
     */
    static long walk(Pace pace, Step step) {
        long deleted = 0;
        long after = 0;
        while (true) {
            Batch batch = step.after(after);
            deleted += batch.deleted();
            if (batch.last() || !pace.next()) {
                return deleted;
            }
            after = batch.lastKey();
        }
    }

    /** Between two batches: yields to other work; false when the sweep should stop. */
    interface Pace {
        boolean next();
    }
}
