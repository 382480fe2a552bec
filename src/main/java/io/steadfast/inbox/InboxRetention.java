package io.steadfast.inbox;

import io.steadfast.retention.Sweep;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Done events received before the horizon, then the raw requests that carried them. Events are walked in id order
 * (arrival order) from the oldest and the walk stops at the first young one; dead, pending and leased events stay, and
 * so do the requests that carried them, so a dead letter can still be audited against its raw body.
 */
public final class InboxRetention implements Sweep {
    private record Row(long id, EventStatus status, Instant receivedAt) {
    }

    @Override
    public String name() {
        return "inbox events";
    }

    @Override
    public long sweep(Jdbi jdbi, Instant horizon, Pace pace) {
        return Sweep.walk(pace, after -> {
            List<Row> rows = jdbi.withHandle(h -> h.createQuery(
                            "SELECT id, status, received_at FROM inbox_event WHERE id > :after ORDER BY id LIMIT :limit")
                    .bind("after", after).bind("limit", BATCH)
                    .map((rs, ctx) -> new Row(rs.getLong("id"), EventStatus.of(rs.getString("status")),
                            rs.getObject("received_at", OffsetDateTime.class).toInstant()))
                    .list());
            List<Long> done = rows.stream().filter(r -> r.status() == EventStatus.DONE && r.receivedAt().isBefore(horizon))
                    .map(Row::id).toList();
            int deleted = done.isEmpty() ? 0 : Sweep.deleteBatch(jdbi, h -> h.createUpdate(
                    "DELETE FROM inbox_event WHERE id = ANY(:ids) AND status = 'done'").bindArray("ids", Long.class, done).execute());
            boolean reachedYoung = rows.stream().anyMatch(r -> !r.receivedAt().isBefore(horizon));
            return new Batch(rows.isEmpty() ? after : rows.getLast().id(), deleted, rows.size() < BATCH || reachedYoung);
        }) + sweepRequests(jdbi, horizon, pace);
    }

    /** Requests older than the horizon, in id (time) order, but for those an event still kept came in. */
    private static long sweepRequests(Jdbi jdbi, Instant horizon, Pace pace) {
        if (horizon.isBefore(Instant.EPOCH)) {
            return 0; // no UUIDv7 is that old, and a negative time would not sort below them
        }
        List<UUID> kept = jdbi.withHandle(h -> h.createQuery("""
                        SELECT request_id FROM inbox_event
                        WHERE processed_at IS NULL AND dead_at IS NULL AND received_at < :horizon
                        UNION
                        SELECT request_id FROM inbox_event WHERE dead_at IS NOT NULL AND received_at < :horizon
                        """).bind("horizon", horizon).mapTo(UUID.class).list());
        UUID before = new UUID(horizon.toEpochMilli() << 16, 0); // sorts below every UUIDv7 of that millisecond
        UUID after = new UUID(0, 0);
        long deleted = 0;
        while (true) {
            UUID from = after;
            List<UUID> ids = jdbi.withHandle(h -> h.createQuery("""
                            SELECT id FROM webhook_request WHERE id > :after AND id < :before ORDER BY id LIMIT :limit
                            """).bind("after", from).bind("before", before).bind("limit", BATCH).mapTo(UUID.class).list());
            if (ids.isEmpty()) {
                return deleted;
            }
            deleted += Sweep.deleteBatch(jdbi, h -> h.createUpdate("DELETE FROM webhook_request WHERE id = ANY(:ids) AND id <> ALL(:kept)")
                    .bindArray("ids", UUID.class, ids).bindArray("kept", UUID.class, kept).execute());
            if (ids.size() < BATCH || !pace.next()) {
                return deleted;
            }
            after = ids.getLast();
        }
    }
}
