package io.steadfast.inbox;

import io.steadfast.db.BusinessScope;
import io.steadfast.error.InvalidRequestException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Events that will not be retried on their own, with the reason; and the way back for each of them. */
public final class DeadLetters {
    private static final String DEAD_LETTER = """
            UPDATE inbox_event
            SET status = 'dead', dead_at = :now, last_error = :reason,
                lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
            WHERE id = :id AND lease_token = :token
            """;

    private static final String LIST_DEAD = """
            SELECT id, source, partition_key, dedup_key, event_type, payload::text AS payload, attempts,
                   received_at, dead_at, last_error, replay_count, request_body
            FROM business_inbox_event
            WHERE dead_at IS NOT NULL AND (dead_at, id) > (:after_dead_at, :after_id)
            ORDER BY dead_at, id
            LIMIT :limit
            """;

    private static final String REPLAY_DEAD = """
            UPDATE inbox_event
            SET status = 'pending', attempts = 0, next_attempt_at = :now, dead_at = NULL,
                replay_count = replay_count + 1
            WHERE id = (SELECT id FROM business_inbox_event WHERE id = :id) AND status = 'dead'
            """;

    private final Jdbi jdbi;

    public DeadLetters(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Moves an event we hold to the dead letters; false when the lease was no longer ours. */
    static boolean deadLetter(Handle tx, long id, UUID token, Instant now, String reason) {
        return tx.createUpdate(DEAD_LETTER)
                .bind("id", id)
                .bind("token", token)
                .bind("now", now)
                .bind("reason", reason)
                .execute() == 1;
    }

    /** A dead event: {@code payload} if it was stored with one, else the body of the request it arrived in. */
    public record DeadEvent(long id, String source, String partitionKey, String dedupKey, String eventType,
                            String payload, int attempts, Instant receivedAt, Instant deadAt, String reason,
                            int replayCount, byte[] requestBody) {
    }

    /** A business's dead events, oldest first, after the given position (a cursor). */
    public List<DeadEvent> list(long businessId, int limit, Optional<DeadEvent> after) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(LIST_DEAD)
                .bind("after_dead_at", after.map(DeadEvent::deadAt).orElse(Instant.EPOCH))
                .bind("after_id", after.map(DeadEvent::id).orElse(0L))
                .bind("limit", limit)
                .map((rs, ctx) -> new DeadEvent(rs.getLong("id"), rs.getString("source"),
                        rs.getString("partition_key"), rs.getString("dedup_key"), rs.getString("event_type"),
                        rs.getString("payload"), rs.getInt("attempts"),
                        rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("dead_at", OffsetDateTime.class).toInstant(), rs.getString("last_error"),
                        rs.getInt("replay_count"), rs.getBytes("request_body")))
                .list());
    }

    /** Puts a business's dead event back to pending with a fresh set of attempts. */
    public void replay(long businessId, long id, Instant now) {
        int changed = BusinessScope.inBusiness(jdbi, businessId,
                h -> h.createUpdate(REPLAY_DEAD).bind("id", id).bind("now", now).execute());
        if (changed == 1) {
            return;
        }
        Optional<String> status = BusinessScope.inBusiness(jdbi, businessId,
                h -> h.createQuery("SELECT status FROM business_inbox_event WHERE id = :id")
                        .bind("id", id).mapTo(String.class).findOne());
        if (status.isEmpty()) {
            throw InvalidRequestException.notFound("no inbox event has id " + id);
        }
        throw InvalidRequestException.conflict("inbox event " + id + " is " + status.get()
                + "; only dead events can be replayed");
    }
}
