package io.steadfast.inbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Each worker's heartbeat and counters, in the database, so that any node can report on every worker. */
public final class WorkerRegistry {
    private static final String UPSERT_HEARTBEAT = """
            INSERT INTO inbox_worker (id, host, pid, status, started_at, heartbeat_at, processed_count, errors_count,
                                      lease_lost_count)
            VALUES (:id, :host, :pid, :status, :now, :now, :processed, :errors, :lease_lost)
            ON CONFLICT (id) DO UPDATE
            SET status = EXCLUDED.status, heartbeat_at = EXCLUDED.heartbeat_at,
                processed_count = EXCLUDED.processed_count, errors_count = EXCLUDED.errors_count,
                lease_lost_count = EXCLUDED.lease_lost_count
            """;

    private static final String LIST_RECENT = """
            SELECT id, host, pid, status, started_at, heartbeat_at, processed_count, errors_count, lease_lost_count
            FROM inbox_worker
            WHERE heartbeat_at >= :since
            ORDER BY id
            """;

    private final Jdbi jdbi;

    public WorkerRegistry(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public record WorkerInfo(String id, String host, long pid, String status, Instant startedAt, Instant heartbeatAt,
                             long processedCount, long errorsCount, long leaseLostCount) {
    }

    void heartbeat(Worker worker, String host, long pid, Instant now) {
        jdbi.useHandle(h -> h.createUpdate(UPSERT_HEARTBEAT)
                .bind("id", worker.id())
                .bind("host", host)
                .bind("pid", pid)
                .bind("status", worker.status().label())
                .bind("now", now)
                .bind("processed", worker.processedCount())
                .bind("errors", worker.errorsCount())
                .bind("lease_lost", worker.leaseLostCount())
                .execute());
    }

    /** Workers that reported since {@code since}; older rows belong to processes that are gone. */
    public List<WorkerInfo> recent(Instant since) {
        return jdbi.withHandle(h -> h.createQuery(LIST_RECENT)
                .bind("since", since)
                .map((rs, ctx) -> new WorkerInfo(rs.getString("id"), rs.getString("host"), rs.getLong("pid"),
                        rs.getString("status"), rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("heartbeat_at", OffsetDateTime.class).toInstant(),
                        rs.getLong("processed_count"), rs.getLong("errors_count"),
                        rs.getLong("lease_lost_count")))
                .list());
    }
}
