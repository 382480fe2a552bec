package io.steadfast.messaging;

import io.steadfast.db.BusinessScope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** What the read API shows: conversations newest first, and messages in the order the provider meant. */
public final class MessagingQueries {
    /*
     * The page of conversations is taken first, from the index, and only its rows look up their customer and channel
     * (LATERAL: one index lookup each). Joined plainly, a table that grew since it was last analysed (a new
     * deployment's first thousands of conversations, within autovacuum's minute) was planned as a nested loop over
     * every customer of the business for every conversation: 2,000 customers took a second a request and emptied the
     * pool.
     */
    static final String CONVERSATIONS = conversations("""
            SELECT id, business_id, customer_id, channel_id, last_message_at, read_at
            FROM conversation
            WHERE business_id = :business_id AND (last_message_at, id) < (:before_at, :before_id)
            ORDER BY last_message_at DESC, id DESC
            LIMIT :limit
            """);

    private static final String CONVERSATION = conversations("""
            SELECT id, business_id, customer_id, channel_id, last_message_at, read_at
            FROM conversation
            WHERE business_id = :business_id AND id = :id
            """);

    /** The conversations {@code page} selects, with their customer, channel, latest inbound text and counts. */
    private static String conversations(String page) {
        return """
            SELECT cv.id, cv.last_message_at, cv.read_at, ch.kind, ch.account_id, cu.wa_id, cu.name,
                   latest.text AS preview, unread.n AS unread, failed.n AS failed
            FROM (%s) cv
            CROSS JOIN LATERAL (SELECT wa_id, name FROM customer
                                WHERE business_id = cv.business_id AND id = cv.customer_id) cu
            CROSS JOIN LATERAL (SELECT kind, account_id FROM channel WHERE id = cv.channel_id) ch
            LEFT JOIN LATERAL (SELECT text FROM message
                               WHERE business_id = cv.business_id AND conversation_id = cv.id AND direction = 'inbound'
                               ORDER BY provider_timestamp DESC, arrival_seq DESC LIMIT 1) latest ON true
            CROSS JOIN LATERAL (SELECT count(*) AS n FROM (
                                    SELECT 1 FROM message
                                    WHERE business_id = cv.business_id AND conversation_id = cv.id
                                      AND direction = 'inbound'
                                      AND provider_timestamp > coalesce(cv.read_at, '-infinity')
                                    LIMIT :count_cap) capped) unread
            CROSS JOIN LATERAL (SELECT count(*) AS n FROM (
                                    SELECT 1 FROM outbound_message
                                    WHERE business_id = cv.business_id AND conversation_id = cv.id
                                      AND status = 'failed'
                                    LIMIT :count_cap) capped) failed
            ORDER BY cv.last_message_at DESC, cv.id DESC
            """.formatted(page);
    }

    /** Unread and failed counts stop here: a badge says "99+" rather than count a long conversation. */
    public static final int COUNT_CAP = 100;

    /** Read up to its latest inbound message by the provider's clock, which unread counts compare against. */
    private static final String MARK_READ = """
            UPDATE conversation cv SET read_at = greatest(cv.read_at, (
                SELECT max(provider_timestamp) FROM message
                WHERE business_id = cv.business_id AND conversation_id = cv.id AND direction = 'inbound'))
            WHERE business_id = :business_id AND id = :id
            """;

    private static final String MESSAGE_COLUMNS = """
            SELECT id, conversation_id, external_id, direction, type, text, status, status_errors::text AS status_errors,
                   provider_timestamp, arrival_seq
            FROM message
            """;

    /**
     * The customer's messages and ours, in one order: by time (the provider's for theirs, acceptance for ours), then
     * arrival. Ours carry their negated id as arrival, so the two kinds never tie.
     */
    static final String MESSAGES_IN_ORDER = """
            SELECT * FROM (
                (SELECT id, conversation_id, external_id, direction, type, text, status,
                        status_errors::text AS status_errors, provider_timestamp, arrival_seq
                 FROM message
                 WHERE business_id = :business_id AND conversation_id = :conversation_id
                   AND (provider_timestamp, arrival_seq) > (:after_at, :after_seq)
                 ORDER BY provider_timestamp, arrival_seq
                 LIMIT :limit)
                UNION ALL
                (SELECT id, conversation_id, provider_message_id, 'outbound', 'text', body, status,
                        CASE WHEN status = 'failed'
                             THEN json_build_array(json_build_object('code', error_code, 'message', error_message))::text
                        END,
                        created_at, -id
                 FROM outbound_message
                 WHERE business_id = :business_id AND conversation_id = :conversation_id
                   AND (created_at, -id) > (:after_at, :after_seq)
                 ORDER BY created_at, id DESC
                 LIMIT :limit)
            ) both_directions
            ORDER BY provider_timestamp, arrival_seq
            LIMIT :limit
            """;

    /**
     * Messages of either direction whose text matches the query, newest first, strictly before a position: a function
     * of the schema (V15), which reads through the search index what row-level security would read row by row, and
     * checks the business itself.
     */
    static final String SEARCH = """
            SELECT * FROM steadfast_search_messages(:business_id, :q, :required, :before_at, :before_seq, :limit)
            """;

    private static final String MESSAGES_BY_EXTERNAL_ID = MESSAGE_COLUMNS + """
            WHERE business_id = :business_id AND external_id = :external_id
            """;

    private final Jdbi jdbi;

    public MessagingQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A conversation in the list: its customer and channel, its latest inbound text, and how many inbound messages
     * came after it was last read and how many of ours failed (each at most {@link #COUNT_CAP}).
     */
    public record ConversationView(long id, String channel, String accountId, String customerWaId,
                                   String customerName, Instant lastMessageAt, String preview, int unread, int failed) {
    }

    /** A message of either direction; {@code conversationId} is null for one of ours sent outside a conversation. */
    public record MessageView(long id, Long conversationId, String externalId, String direction, String type,
                              String text, String status, String statusErrors, Instant providerTimestamp,
                              long arrivalSeq) {
    }

    /** Conversations by latest message, newest first, strictly before the given position. */
    public List<ConversationView> conversations(long businessId, int limit, Optional<ConversationView> before) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(CONVERSATIONS)
                .bind("business_id", businessId)
                .bind("before_at", before.map(ConversationView::lastMessageAt).orElse(Instant.parse("9999-12-31T00:00:00Z")))
                .bind("before_id", before.map(ConversationView::id).orElse(Long.MAX_VALUE))
                .bind("limit", limit)
                .bind("count_cap", COUNT_CAP)
                .map(MessagingQueries::conversationRow)
                .list());
    }

    public Optional<ConversationView> conversation(long businessId, long conversationId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(CONVERSATION)
                .bind("business_id", businessId)
                .bind("id", conversationId)
                .bind("count_cap", COUNT_CAP)
                .map(MessagingQueries::conversationRow)
                .findOne());
    }

    private static ConversationView conversationRow(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ConversationView(rs.getLong("id"), rs.getString("kind"), rs.getString("account_id"),
                rs.getString("wa_id"), rs.getString("name"), instant(rs, "last_message_at"), rs.getString("preview"),
                rs.getInt("unread"), rs.getInt("failed"));
    }

    /** Marks what a conversation holds now as read (never back); false when the business has no such conversation. */
    public boolean markRead(long businessId, long conversationId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createUpdate(MARK_READ)
                .bind("business_id", businessId).bind("id", conversationId).execute()) == 1;
    }

    public boolean conversationExists(long businessId, long conversationId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(
                        "SELECT 1 FROM conversation WHERE business_id = :business_id AND id = :id")
                .bind("business_id", businessId).bind("id", conversationId).mapTo(Integer.class).findOne().isPresent());
    }

    /** Messages of a conversation by provider timestamp, then arrival, strictly after the given position. */
    public List<MessageView> messages(long businessId, long conversationId, int limit, Optional<MessageView> after) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(MESSAGES_IN_ORDER)
                .bind("business_id", businessId)
                .bind("conversation_id", conversationId)
                .bind("after_at", after.map(MessageView::providerTimestamp).orElse(Instant.EPOCH))
                .bind("after_seq", after.map(MessageView::arrivalSeq).orElse(-1L))
                .bind("limit", limit)
                .map(MessagingQueries::message)
                .list());
    }

    /** Messages whose text matches {@code query} (words, "a phrase", -excluded, or), newest first. */
    public List<MessageView> search(long businessId, String query, int limit, Optional<MessageView> before) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(SEARCH)
                .bind("business_id", businessId)
                .bind("q", query)
                .bind("required", requiredWords(query))
                .bind("before_at", before.map(MessageView::providerTimestamp).orElse(Instant.parse("9999-12-31T00:00:00Z")))
                .bind("before_seq", before.map(MessageView::arrivalSeq).orElse(Long.MAX_VALUE))
                .bind("limit", limit)
                .map(MessagingQueries::message)
                .list());
    }

    /**
     * The words every match must have, for the index: those of the query but the excluded ({@code -word}); none when
     * the query has alternatives ({@code or}), which the full query then decides alone.
     */
    static String requiredWords(String query) {
        List<String> words = java.util.Arrays.stream(query.split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.stream().anyMatch(w -> w.equalsIgnoreCase("or"))) {
            return "";
        }
        return String.join(" ", words.stream().filter(w -> !w.startsWith("-")).toList());
    }

    public List<MessageView> messagesByExternalId(long businessId, String externalId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(MESSAGES_BY_EXTERNAL_ID)
                .bind("business_id", businessId)
                .bind("external_id", externalId)
                .map(MessagingQueries::message)
                .list());
    }

    private static MessageView message(ResultSet rs, StatementContext ctx) throws SQLException {
        return new MessageView(rs.getLong("id"), (Long) rs.getObject("conversation_id"), rs.getString("external_id"),
                rs.getString("direction"), rs.getString("type"), rs.getString("text"), rs.getString("status"),
                rs.getString("status_errors"), instant(rs, "provider_timestamp"), rs.getLong("arrival_seq"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
