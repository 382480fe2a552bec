package io.steadfast.realtime;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The change log: what live clients should hear about, written in the transaction that made the change, and a
 * NOTIFY that PostgreSQL delivers when that transaction commits, to every node.
 */
public final class Changes {
    public static final String CHANNEL = "steadfast_change";
    public static final String ORDER = "order";
    public static final String MESSAGE = "message";

    private static final String RECORD = """
            INSERT INTO change_log (business_id, kind, entity_id)
            SELECT business_id, :kind, entity_id FROM unnest(:business_ids, :entity_ids) AS c(business_id, entity_id)
            """;

    private static final String AFTER = """
            SELECT seq, business_id, kind, entity_id, changed_at FROM change_log
            WHERE seq > :after AND (:business_id = 0 OR business_id = :business_id)
            ORDER BY seq
            LIMIT :limit
            """;

    private Changes() {
    }

    /** One change, as the log holds it. */
    public record Change(long seq, long businessId, String kind, String entityId, Instant changedAt) {
    }

    public static void record(Handle tx, String kind, List<Long> businessIds, List<String> entityIds) {
        if (entityIds.isEmpty()) {
            return;
        }
        tx.createUpdate(RECORD)
                .bind("kind", kind)
                .bindArray("business_ids", Long.class, businessIds)
                .bindArray("entity_ids", String.class, entityIds)
                .execute();
        tx.createQuery("SELECT 1 FROM (SELECT pg_notify(:channel, '')) notified").bind("channel", CHANNEL)
                .mapTo(Integer.class).one();
    }

    /** Changes after {@code seq} in log order; {@code businessId} 0 means every business. */
    public static List<Change> after(Jdbi jdbi, long seq, long businessId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(AFTER)
                .bind("after", seq)
                .bind("business_id", businessId)
                .bind("limit", limit)
                .map((rs, ctx) -> new Change(rs.getLong("seq"), rs.getLong("business_id"), rs.getString("kind"),
                        rs.getString("entity_id"), rs.getObject("changed_at", OffsetDateTime.class).toInstant()))
                .list());
    }

    public static long latestSeq(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(max(seq), 0) FROM change_log").mapTo(Long.class).one());
    }
}
