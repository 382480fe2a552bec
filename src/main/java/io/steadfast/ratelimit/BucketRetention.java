package io.steadfast.ratelimit;

import io.steadfast.retention.Sweep;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Rate-limit buckets past their expiry: full again and unused for a while, so deleting one changes nothing (the next
 * request starts a full bucket). Without this, every email ever tried at sign-in would keep a row.
 */
public final class BucketRetention implements Sweep {
    static final String TABLE = "rate_limit_bucket";

    @Override
    public String name() {
        return "rate-limit buckets";
    }

    @Override
    public long sweep(Jdbi jdbi, Instant horizon, Pace pace) {
        long deleted = 0;
        int batch;
        do {
            batch = Sweep.deleteBatch(jdbi, h -> h.createUpdate("""
                            DELETE FROM rate_limit_bucket WHERE id IN (
                                SELECT id FROM rate_limit_bucket WHERE expires_at < :horizon LIMIT :limit FOR UPDATE SKIP LOCKED)
                            """)
                    .bind("horizon", horizon.toEpochMilli()).bind("limit", BATCH).execute());
            deleted += batch;
        } while (batch == BATCH && pace.next());
        return deleted;
    }
}
