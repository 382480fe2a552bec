package io.steadfast.orders;

import io.steadfast.db.BusinessScope;
import io.steadfast.retention.Sweep;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Order audit rows processed before the horizon, oldest first, business by business along the primary key. Off unless
 * configured: the audit log is what settles a dispute.
 */
public final class AuditRetention implements Sweep {
    @Override
    public String name() {
        return "order audit";
    }

    @Override
    public long sweep(Jdbi jdbi, Instant horizon, Pace pace) {
        long deleted = 0;
        for (long business : jdbi.withHandle(h -> h.createQuery("SELECT id FROM business ORDER BY id").mapTo(Long.class).list())) {
            deleted += Sweep.walk(pace, after -> {
                List<Long> ids = BusinessScope.inBusiness(jdbi, business, h -> h.createQuery("""
                                SELECT id FROM order_audit WHERE business_id = :business AND id > :after ORDER BY id LIMIT :limit
                                """).bind("business", business).bind("after", after).bind("limit", BATCH)
                        .mapTo(Long.class).list());
                int batch = ids.isEmpty() ? 0 : Sweep.deleteBatch(jdbi, h -> {
                    BusinessScope.actFor(h, List.of(business));
                    return h.createUpdate("""
                                    DELETE FROM order_audit WHERE business_id = :business AND id = ANY(:ids) AND processed_at < :horizon
                                    """).bind("business", business).bindArray("ids", Long.class, ids).bind("horizon", horizon)
                            .execute();
                });
                // a batch that kept a row has reached rows young enough to keep
                return new Batch(ids.isEmpty() ? after : ids.getLast(), batch, ids.size() < BATCH || batch < ids.size());
            });
        }
        return deleted;
    }
}
