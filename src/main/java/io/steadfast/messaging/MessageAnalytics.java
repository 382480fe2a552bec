package io.steadfast.messaging;

import io.steadfast.db.BusinessScope;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Message counts of a business by day (UTC), channel, direction and status, over the last days: the customers'
 * messages by their provider time, ours by when they were accepted. Both sides read a business's messages by time
 * through an index, so the cost grows with the period asked for, not with the table.
 */
public final class MessageAnalytics {
    static final String DAILY = """
            SELECT day, channel, direction, status, count(*) AS messages FROM (
                SELECT (m.provider_timestamp AT TIME ZONE 'UTC')::date AS day, ch.kind AS channel, m.direction, m.status
                FROM message m
                JOIN conversation cv ON cv.business_id = m.business_id AND cv.id = m.conversation_id
                JOIN channel ch ON ch.id = cv.channel_id
                WHERE m.business_id = :business_id AND m.provider_timestamp >= :since
                UNION ALL
                SELECT (o.created_at AT TIME ZONE 'UTC')::date, o.channel, 'outbound', o.status
                FROM outbound_message o
                WHERE o.business_id = :business_id AND o.created_at >= :since
            ) m
            GROUP BY day, channel, direction, status
            ORDER BY day, channel, direction, status
            """;

    /** How many messages of one kind on one day. */
    public record Count(LocalDate day, String channel, String direction, String status, long messages) {
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public MessageAnalytics(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The first moment counted for the last {@code days} days: midnight UTC, {@code days - 1} days before today. */
    public Instant since(int days) {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(days - 1L).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public List<Count> daily(long businessId, int days) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(DAILY)
                .bind("business_id", businessId)
                .bind("since", since(days))
                .map((rs, ctx) -> new Count(rs.getObject("day", LocalDate.class), rs.getString("channel"),
                        rs.getString("direction"), rs.getString("status"), rs.getLong("messages")))
                .list());
    }
}
