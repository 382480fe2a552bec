package io.steadfast.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Takes available events under a lease in one statement: pending events whose time has come, and events whose
 * lease expired (their worker died or stalled), oldest due first. SKIP LOCKED lets any number of workers claim side
 * by side. The claim changes no indexed column, so it is a HOT update (see V18__claim_in_place.sql).
 */
final class Claimer {
    private static final String CLAIM_AVAILABLE = """
            WITH picked AS (
                SELECT id FROM inbox_event
                WHERE processed_at IS NULL AND dead_at IS NULL AND next_attempt_at <= :now
                  AND (status = 'pending' OR lease_expires_at <= :now)
                ORDER BY next_attempt_at
                LIMIT :limit
                FOR UPDATE SKIP LOCKED
            )
            UPDATE inbox_event e
            SET status = 'processing', attempts = e.attempts + 1,
                lease_owner = :owner, lease_token = :token, lease_expires_at = :expires_at
            FROM picked
            WHERE e.id = picked.id
            RETURNING e.id, e.source, e.partition_key, e.dedup_key, e.event_type, e.payload::text AS payload,
                      e.attempts, e.received_at,
                      CASE WHEN e.payload IS NULL
                           THEN coalesce(e.body, (SELECT r.body FROM webhook_request r WHERE r.id = e.request_id)) END
                          AS body
            """;

    private static final String RELEASE_LEASED = """
            UPDATE inbox_event
            SET status = 'pending', attempts = greatest(attempts - 1, 0),
                lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
            WHERE id = ANY(:ids) AND lease_token = :token
            """;

    private final Jdbi jdbi;

    Claimer(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Lease claimAvailable(String owner, int limit, Instant now, Duration leaseDuration) {
        UUID token = TimeOrderedIds.next();
        Instant expiresAt = now.plus(leaseDuration);
        List<InboxEvent> events = jdbi.withHandle(h -> h.createQuery(CLAIM_AVAILABLE)
                .bind("now", now)
                .bind("limit", limit)
                .bind("owner", owner)
                .bind("token", token)
                .bind("expires_at", expiresAt)
                .map((rs, ctx) -> new InboxEvent(rs.getLong("id"), rs.getString("source"),
                        rs.getString("partition_key"), rs.getString("dedup_key"), rs.getString("event_type"),
                        rs.getString("payload"), rs.getInt("attempts"),
                        rs.getObject("received_at", java.time.OffsetDateTime.class).toInstant(),
                        rs.getBytes("body")))
                .list());
        return new Lease(token, expiresAt, events.stream()
                .sorted(java.util.Comparator.comparingLong(InboxEvent::id)).toList());
    }

    /** The events of the list that this lease still holds (the others were taken over after it expired). */
    static List<InboxEvent> stillLeased(Jdbi jdbi, List<InboxEvent> events, UUID token) {
        java.util.Set<Long> held = new java.util.HashSet<>(jdbi.withHandle(h -> h.createQuery(
                        "SELECT id FROM inbox_event WHERE id = ANY(:ids) AND lease_token = :token")
                .bindArray("ids", Long.class, events.stream().map(InboxEvent::id).toList())
                .bind("token", token)
                .mapTo(Long.class)
                .list()));
        return events.stream().filter(e -> held.contains(e.id())).toList();
    }

    /** Gives back events we hold but will not process (shutting down); the attempt is not counted. */
    static int releaseLeased(Handle h, List<Long> ids, UUID token) {
        return h.createUpdate(RELEASE_LEASED).bindArray("ids", Long.class, ids).bind("token", token).execute();
    }
}
