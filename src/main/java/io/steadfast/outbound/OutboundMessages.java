package io.steadfast.outbound;

import io.steadfast.db.BusinessScope;
import io.steadfast.db.Columns;
import io.steadfast.realtime.Changes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Reading outbound messages back, and how the API shows one. */
public final class OutboundMessages {
    static final String COLUMNS = """
            id, business_id, channel, sender, recipient, subject, body, status, provider_message_id, error_code,
            error_message, attempts, conversation_id, created_at, updated_at
            """;

    private final Jdbi jdbi;

    public OutboundMessages(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<OutboundMessage> find(long businessId, long id) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM outbound_message WHERE business_id = :business_id AND id = :id")
                .bind("business_id", businessId).bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    /** Messages of a business with this status, oldest first, after {@code afterId}. */
    public List<OutboundMessage> withStatus(long businessId, OutboundStatus status, int limit, long afterId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM outbound_message
                        WHERE business_id = :business_id AND status = :status AND id > :after ORDER BY id LIMIT :limit
                        """)
                .bind("business_id", businessId).bind("status", status.sql()).bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> map(rs)).list());
    }

    /**
     * Messages of every business waiting for evidence ({@code unknown}): for monitoring, which watches the whole
     * deployment.
     */
    public static long countUnknown(Jdbi jdbi) {
        return jdbi.inTransaction(h -> {
            BusinessScope.actForAll(h);
            return h.createQuery("SELECT count(*) FROM outbound_message WHERE status = 'unknown'").mapTo(Long.class).one();
        });
    }

    /** Tells live clients (/v1/sync) that these messages changed, in the transaction that changed them. */
    static void changed(Handle tx, List<OutboundMessage> messages) {
        changed(tx, Columns.of(messages, OutboundMessage::businessId), Columns.of(messages, OutboundMessage::id));
    }

    static void changed(Handle tx, List<Long> businessIds, List<Long> ids) {
        Changes.record(tx, Changes.OUTBOUND_MESSAGE, businessIds, Columns.of(ids, String::valueOf));
    }

    static OutboundMessage map(ResultSet rs) throws SQLException {
        return new OutboundMessage(rs.getLong("id"), rs.getLong("business_id"), rs.getString("channel"),
                rs.getString("sender"), rs.getString("recipient"), rs.getString("subject"), rs.getString("body"),
                OutboundStatus.fromSql(rs.getString("status")), rs.getString("provider_message_id"),
                rs.getString("error_code"), rs.getString("error_message"), rs.getInt("attempts"),
                (Long) rs.getObject("conversation_id"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    public static Map<String, Object> json(OutboundMessage m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", m.id());
        json.put("direction", "outbound");
        json.put("conversation_id", m.conversationId());
        json.put("channel", m.channel());
        json.put("from", m.sender());
        json.put("to", m.recipient());
        if (m.subject() != null) {
            json.put("subject", m.subject());
        }
        json.put("text", m.body());
        json.put("status", m.status().sql());
        json.put("provider_message_id", m.providerMessageId());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", m.errorCode());
        error.put("message", m.errorMessage());
        json.put("error", m.status() == OutboundStatus.FAILED ? error : null);
        if (m.status() == OutboundStatus.UNKNOWN || m.status() == OutboundStatus.QUEUED && m.errorMessage() != null) {
            json.put("note", m.errorMessage()); // why it is unknown, or why it is waiting
        }
        json.put("created_at", m.createdAt().toString());
        json.put("updated_at", m.updatedAt().toString());
        return json;
    }
}
