package io.steadfast.inbox;

import io.steadfast.db.AfterCommitNotify;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Events the system gives itself (a message to send), stored in the caller's transaction so that they exist exactly
 * when what asked for them does, and run by the workers like any webhook's event. A job has no raw request.
 */
public final class Jobs {
    private Jobs() {
    }

    /** Adds the job unless one with the same key exists; workers are woken when the transaction commits. */
    public static void enqueue(Handle tx, NewEvent job, Instant due) {
        tx.createUpdate("""
                        INSERT INTO inbox_event (source, partition_key, dedup_key, event_type, payload, request_id,
                                                 received_at, next_attempt_at)
                        VALUES (:source, :partition_key, :dedup_key, :event_type, :payload::json, :request_id, now(), :due)
                        ON CONFLICT (source, partition_key, dedup_key) DO NOTHING
                        """)
                .bind("source", job.source()).bind("partition_key", job.partitionKey()).bind("dedup_key", job.dedupKey())
                .bind("event_type", job.eventType()).bind("payload", job.payload()).bind("request_id", UUID.randomUUID())
                .bind("due", due)
                .execute();
        AfterCommitNotify.afterCommit(tx, Wakeup.CHANNEL);
    }
}
