package io.steadfast.realtime;

import io.steadfast.db.BusinessScope;
import io.steadfast.retention.Sweep;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Changes older than the horizon, deleted as a prefix of the log, with the highest seq deleted recorded as the mark:
 * a client whose cursor is below it may have missed what was deleted, so the feed refuses that cursor (410).
 */
public final class ChangeLogRetention implements Sweep {
    static final String MARK = "change_log";

    private record Row(long seq, Instant changedAt) {
    }

    @Override
    public String name() {
        return "change log";
    }

    @Override
    public long sweep(Jdbi jdbi, Instant horizon, Pace pace) {
        return Sweep.walk(pace, after -> {
            List<Row> rows = jdbi.inTransaction(h -> {
                BusinessScope.actForAll(h);
                return h.createQuery(
                            "SELECT seq, changed_at FROM change_log WHERE seq > :after ORDER BY seq LIMIT :limit")
                    .bind("after", after).bind("limit", BATCH)
                    .map((rs, ctx) -> new Row(rs.getLong("seq"), rs.getObject("changed_at", OffsetDateTime.class).toInstant()))
                    .list();
            });
            List<Row> old = rows.stream().takeWhile(r -> r.changedAt().isBefore(horizon)).toList();
            int deleted = old.isEmpty() ? 0 : Sweep.deleteBatch(jdbi, h -> {
                long upTo = old.getLast().seq();
                BusinessScope.actForAll(h);
                int n = h.createUpdate("DELETE FROM change_log WHERE seq > :after AND seq <= :up_to")
                        .bind("after", after).bind("up_to", upTo).execute();
                h.createUpdate("""
                        INSERT INTO retention_mark (name, up_to, pruned_at) VALUES (:name, :up_to, now())
                        ON CONFLICT (name) DO UPDATE SET up_to = greatest(retention_mark.up_to, excluded.up_to),
                                                         pruned_at = excluded.pruned_at
                        """).bind("name", MARK).bind("up_to", upTo).execute();
                return n;
            });
            return new Batch(rows.isEmpty() ? after : rows.getLast().seq(), deleted,
                    rows.size() < BATCH || old.size() < rows.size());
        });
    }

    /** The highest seq that may have been deleted; empty when nothing has been. */
    public static Optional<Long> mark(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT up_to FROM retention_mark WHERE name = :name")
                .bind("name", MARK).mapTo(Long.class).findOne());
    }
}
