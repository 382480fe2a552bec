package io.steadfast.outbound;

import io.steadfast.db.BusinessScope;
import io.steadfast.retention.Sweep;
import java.time.Instant;

/**
 * Idempotency-Keys older than their retention: a repeat after that is a new request. Oldest first, along the index on
 * their age, in short batches.
 */
public final class IdempotencyKeyRetention implements Sweep {
    @Override
    public String name() {
        return "idempotency keys";
    }

    @Override
    public long sweep(org.jdbi.v3.core.Jdbi jdbi, Instant horizon, Pace pace) {
        long deleted = 0;
        int batch;
        do {
            batch = Sweep.deleteBatch(jdbi, h -> {
                BusinessScope.actForAll(h);
                return h.createUpdate("""
                                DELETE FROM idempotency_key WHERE (business_id, key) IN (
                                    SELECT business_id, key FROM idempotency_key WHERE created_at < :horizon
                                    ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                                """)
                        .bind("horizon", horizon).bind("limit", BATCH).execute();
            });
            deleted += batch;
        } while (batch == BATCH && pace.next());
        return deleted;
    }
}
