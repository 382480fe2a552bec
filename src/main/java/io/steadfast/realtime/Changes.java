package io.steadfast.realtime;

import io.steadfast.db.AfterCommitNotify;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The change log: what live clients should hear about, written in the transaction that made the change, and a
 * NOTIFY to every node once that transaction has committed.
 */
public final class Changes {
    public static final String CHANNEL = "steadfast_change";
    public static final String ORDER = "order";
    public static final String MESSAGE = "message";
    /** A message a business sent: accepted, or its status moved. */
    public static final String OUTBOUND_MESSAGE = "outbound_message";
    /** An order of the business's own store: placed, or moved on. */
    public static final String STORE_ORDER = "store_order";

    /*
     * The materialized CTE takes the transaction id before the identity default takes a seq. So a seq below one
     * that is visible, but not visible itself, belongs to a transaction that was already running: the reader
     * finds it among the in-progress ids of its snapshot and waits for exactly those.
     */
    private static final String RECORD = """
            WITH tx AS MATERIALIZED (SELECT pg_current_xact_id()::text::bigint AS xid)
            INSERT INTO change_log (xid, business_id, kind, entity_id)
            SELECT tx.xid, c.business_id, :kind, c.entity_id
            FROM tx, unnest(:business_ids, :entity_ids) AS c(business_id, entity_id)
            """;

    private static final String COLUMNS = "seq, business_id, kind, entity_id, changed_at";

    private static final String AFTER = "SELECT " + COLUMNS + """
             FROM change_log
            WHERE seq > :after
            ORDER BY seq
            LIMIT :limit
            """;

    private static final String BUSINESS_BETWEEN = "SELECT " + COLUMNS + """
             FROM change_log
            WHERE business_id = :business_id AND seq > :after AND seq <= :up_to
            ORDER BY seq
            LIMIT :limit
            """;

    private static final String WRITTEN_BY = "SELECT " + COLUMNS + """
             FROM change_log
            WHERE xid = ANY(:xids) AND seq <= :up_to
            ORDER BY seq
            """;

    /*
     * A snapshot lists the transactions running below its xmax, and xmax is one past the latest transaction to have
     * ended, not past the latest to have begun: a writer whose xid is above every ended one is running but unlisted,
     * though a seq it took may sit below one that is visible (an older transaction took the next seq and committed).
     * So the reader takes an xid of its own after the snapshot, and every xid from xmax up to its own counts as in
     * progress too: a few more transactions to await, each read back by xid once it has ended.
     */
    private static final String IN_PROGRESS = """
            WITH snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
                 me AS MATERIALIZED (SELECT pg_current_xact_id()::text::bigint AS xid FROM snap)
            SELECT coalesce(array_agg(x), '{}') FROM (
                SELECT x::text::bigint AS x FROM snap, pg_snapshot_xip(snap.s) AS x
                UNION ALL
                SELECT generate_series(pg_snapshot_xmax(snap.s)::text::bigint, me.xid - 1) FROM snap, me
            ) running
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
        AfterCommitNotify.afterCommit(tx, CHANNEL);
    }

    /** The transactions that may be in progress as this transaction's snapshot sees them (see IN_PROGRESS). */
    static List<Long> inProgress(Handle h) {
        return h.createQuery(IN_PROGRESS).map((rs, ctx) -> List.of((Long[]) rs.getArray(1).getArray())).one();
    }

    /** Every business's changes after {@code seq}, in log order. */
    static List<Change> after(Handle h, long seq, int limit) {
        return h.createQuery(AFTER).bind("after", seq).bind("limit", limit).map(Changes::change).list();
    }

    /** One business's changes in {@code (after, upTo]}, in log order. */
    static List<Change> between(Handle h, long businessId, long after, long upTo, int limit) {
        return h.createQuery(BUSINESS_BETWEEN).bind("business_id", businessId).bind("after", after)
                .bind("up_to", upTo).bind("limit", limit).map(Changes::change).list();
    }

    /** The visible changes at or below {@code upTo} written by these transactions. */
    static List<Change> writtenBy(Handle h, Collection<Long> xids, long upTo) {
        return h.createQuery(WRITTEN_BY).bindArray("xids", Long.class, xids).bind("up_to", upTo)
                .map(Changes::change).list();
    }

    static long latestSeq(Handle h) {
        return h.createQuery("SELECT coalesce(max(seq), 0) FROM change_log").mapTo(Long.class).one();
    }

    private static Change change(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Change(rs.getLong("seq"), rs.getLong("business_id"), rs.getString("kind"),
                rs.getString("entity_id"), rs.getObject("changed_at", OffsetDateTime.class).toInstant());
    }
}
