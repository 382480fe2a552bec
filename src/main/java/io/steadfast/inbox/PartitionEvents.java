package io.steadfast.inbox;

import io.steadfast.db.BusinessScope;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The events of one provider account, with where each stands: what a reconciliation reads back. */
public final class PartitionEvents {
    private static final String LIST = """
            SELECT id, dedup_key, event_type, status, attempts, received_at, processed_at, last_error, replay_count
            FROM business_inbox_event
            WHERE source = :source AND partition_key = :partition_key AND (received_at, id) > (:after_at, :after_id)
            ORDER BY received_at, id
            LIMIT :limit
            """;

    private final Jdbi jdbi;

    public PartitionEvents(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public record EventState(long id, String dedupKey, String eventType, String status, int attempts,
                             Instant receivedAt, Instant processedAt, String lastError, int replayCount) {
    }

    /** Events of a business's account in the order they were received, after the given one. */
    public List<EventState> list(long businessId, String source, String partitionKey, int limit, Optional<Instant> afterAt,
                                 long afterId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(LIST)
                .bind("source", source)
                .bind("partition_key", partitionKey)
                .bind("after_at", afterAt.orElse(Instant.EPOCH))
                .bind("after_id", afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> {
                    OffsetDateTime processed = rs.getObject("processed_at", OffsetDateTime.class);
                    return new EventState(rs.getLong("id"), rs.getString("dedup_key"), rs.getString("event_type"),
                            rs.getString("status"), rs.getInt("attempts"),
                            rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                            processed == null ? null : processed.toInstant(), rs.getString("last_error"),
                            rs.getInt("replay_count"));
                })
                .list());
    }
}
