package io.steadfast.messaging;

import io.steadfast.db.Columns;
import io.steadfast.db.PlanEachTime;
import io.steadfast.realtime.Changes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Applies messages and status reports to messaging state, a whole batch per statement. Every write is
 * idempotent and order-insensitive: customers and conversations are upserted, messages inserted once by their
 * provider id, names and {@code last_message_at} only move to newer values, statuses only to higher ranks.
 *
 * <p>Each batch first takes a transaction-scoped advisory lock per message id, in sorted order. A message and a
 * status report for it may commit in two racing transactions; without the lock, each could miss the other's
 * uncommitted row and the status would never apply.
 */
public final class MessageWrites {
    private static final String LOCK_MESSAGE_IDS = """
            SELECT pg_advisory_xact_lock(hashtextextended(business_id::text || ':' || external_id, 0))
            FROM (SELECT DISTINCT business_id, external_id
                  FROM unnest(:business_ids, :external_ids) AS m(business_id, external_id)
                  ORDER BY 1, 2) ids
            """;

    private static final String UPSERT_CUSTOMERS = """
            INSERT INTO customer AS c (business_id, wa_id, name, name_updated_at, name_event_id)
            SELECT DISTINCT ON (business_id, wa_id) business_id, wa_id, name, name_at::timestamptz, event_id
            FROM unnest(:business_ids, :wa_ids, :names, :name_ats, :event_ids)
                 AS x(business_id, wa_id, name, name_at, event_id)
            ORDER BY business_id, wa_id, name IS NULL, name_at::timestamptz DESC, event_id DESC
            ON CONFLICT (business_id, wa_id) DO UPDATE
            SET name = EXCLUDED.name, name_updated_at = EXCLUDED.name_updated_at, name_event_id = EXCLUDED.name_event_id
            WHERE EXCLUDED.name IS NOT NULL
              AND (c.name_updated_at IS NULL
                   OR (EXCLUDED.name_updated_at, EXCLUDED.name_event_id) > (c.name_updated_at, c.name_event_id))
            """;

    /**
     * One index probe per distinct key. Joined as a set, the planner hashes the whole table until the table is
     * large: at 10,000 customers that took 8 ms a batch against 1.3 ms for the probes (at 100,000 it chose the
     * probes itself). {@code LIMIT 1} keeps each lookup a subquery of its own, so it stays a probe at any size.
     */
    private static final String FIND_CUSTOMERS = """
            SELECT x.business_id, x.wa_id, c.id
            FROM (SELECT DISTINCT business_id, wa_id FROM unnest(:business_ids, :wa_ids) AS u(business_id, wa_id)) x
            CROSS JOIN LATERAL (SELECT id FROM customer c
                                WHERE c.business_id = x.business_id AND c.wa_id = x.wa_id LIMIT 1) c
            """;

    private static final String UPSERT_CONVERSATIONS = """
            INSERT INTO conversation AS cv (business_id, customer_id, channel_id, last_message_at)
            SELECT business_id, customer_id, channel_id, max(sent_at::timestamptz)
            FROM unnest(:business_ids, :customer_ids, :channel_ids, :sent_ats)
                 AS x(business_id, customer_id, channel_id, sent_at)
            GROUP BY business_id, customer_id, channel_id
            ORDER BY business_id, customer_id, channel_id
            ON CONFLICT (business_id, customer_id, channel_id) DO UPDATE
            SET last_message_at = EXCLUDED.last_message_at
            WHERE EXCLUDED.last_message_at > cv.last_message_at
            """;

    /** One customer's conversation on one channel, both made if missing, in one statement (a send's hot path). */
    private static final String CONVERSATION_FOR = """
            WITH cu AS (
                INSERT INTO customer AS c (business_id, wa_id) VALUES (:business_id, :address)
                ON CONFLICT (business_id, wa_id) DO UPDATE SET wa_id = c.wa_id
                RETURNING id
            )
            INSERT INTO conversation AS cv (business_id, customer_id, channel_id, last_message_at)
            SELECT :business_id, cu.id, :channel_id, :at FROM cu
            ON CONFLICT (business_id, customer_id, channel_id) DO UPDATE
            SET last_message_at = greatest(cv.last_message_at, EXCLUDED.last_message_at)
            RETURNING id
            """;

    /** As {@link #FIND_CUSTOMERS}: one index probe per distinct key. */
    private static final String FIND_CONVERSATIONS = """
            SELECT x.business_id, x.customer_id, x.channel_id, cv.id
            FROM (SELECT DISTINCT business_id, customer_id, channel_id
                  FROM unnest(:business_ids, :customer_ids, :channel_ids) AS u(business_id, customer_id, channel_id)) x
            CROSS JOIN LATERAL (SELECT id FROM conversation cv
                                WHERE cv.business_id = x.business_id AND cv.customer_id = x.customer_id
                                  AND cv.channel_id = x.channel_id LIMIT 1) cv
            """;

    private static final String INSERT_MESSAGES = """
            INSERT INTO message (business_id, conversation_id, external_id, direction, type, text, raw,
                                 status, status_rank, provider_timestamp, arrival_seq)
            SELECT business_id, conversation_id, external_id, 'inbound', type, text, raw::json,
                   'received', 0, sent_at::timestamptz, arrival_seq
            FROM unnest(:business_ids, :conversation_ids, :external_ids, :types, :texts, :raws, :sent_ats, :arrival_seqs)
                 AS m(business_id, conversation_id, external_id, type, text, raw, sent_at, arrival_seq)
            ORDER BY business_id, external_id
            ON CONFLICT (business_id, external_id) DO NOTHING
            RETURNING business_id, external_id
            """;

    private static final String APPLY_EARLIER_REPORTS = """
            UPDATE message m
            SET status = best.status, status_rank = best.status_rank, status_errors = best.errors
            FROM (SELECT DISTINCT ON (r.business_id, r.external_id) r.business_id, r.external_id, r.status,
                         r.status_rank, r.errors
                  FROM unnest(:business_ids, :external_ids) AS x(business_id, external_id)
                  JOIN message_status_report r ON r.business_id = x.business_id AND r.external_id = x.external_id
                  ORDER BY r.business_id, r.external_id, r.status_rank DESC) best
            WHERE m.business_id = best.business_id AND m.external_id = best.external_id
              AND best.status_rank > m.status_rank
            """;

    private static final String INSERT_REPORTS = """
            INSERT INTO message_status_report (business_id, external_id, status, status_rank, provider_timestamp,
                                               recipient_id, errors, inbox_event_id)
            SELECT business_id, external_id, status, status_rank, reported_at::timestamptz, recipient_id,
                   errors::json, arrival_seq
            FROM unnest(:business_ids, :external_ids, :statuses, :ranks, :reported_ats, :recipient_ids, :errors,
                        :arrival_seqs)
                 AS r(business_id, external_id, status, status_rank, reported_at, recipient_id, errors, arrival_seq)
            ORDER BY business_id, external_id, status
            ON CONFLICT (business_id, external_id, status) DO NOTHING
            """;

    private static final String ADVANCE_STATUSES = """
            UPDATE message m
            SET status = r.status, status_rank = r.status_rank, status_errors = r.errors::json
            FROM (SELECT DISTINCT ON (business_id, external_id) business_id, external_id, status, status_rank, errors
                  FROM unnest(:business_ids, :external_ids, :statuses, :ranks, :errors)
                       AS x(business_id, external_id, status, status_rank, errors)
                  ORDER BY business_id, external_id, status_rank DESC) r
            WHERE m.business_id = r.business_id AND m.external_id = r.external_id AND r.status_rank > m.status_rank
            """;

    private MessageWrites() {
    }

    /** Stores messages not stored yet, with their customers and conversations; applies reports that came first. */
    public static void insertInbound(Handle tx, List<InboundMessage> messages) {
        lockMessageIds(tx, Columns.of(messages, m -> m.channel().businessId()), Columns.of(messages, InboundMessage::externalId));
        Map<String, Long> customerIds = upsertCustomers(tx, messages);
        Map<String, Long> conversationIds = upsertConversations(tx, messages, customerIds);

        List<Long> conversationOfEach = new ArrayList<>(messages.size());
        for (InboundMessage m : messages) {
            long customerId = customerIds.get(m.channel().businessId() + ":" + m.customerWaId());
            conversationOfEach.add(conversationIds.get(m.channel().businessId() + ":" + customerId + ":" + m.channel().id()));
        }
        List<Long> insertedBusinessIds = new ArrayList<>();
        List<String> insertedExternalIds = new ArrayList<>();
        tx.createQuery(INSERT_MESSAGES)
                .bindArray("business_ids", Long.class, Columns.of(messages, m -> m.channel().businessId()))
                .bindArray("conversation_ids", Long.class, conversationOfEach)
                .bindArray("external_ids", String.class, Columns.of(messages, InboundMessage::externalId))
                .bindArray("types", String.class, Columns.of(messages, InboundMessage::type))
                .bindArray("texts", String.class, Columns.of(messages, InboundMessage::text))
                .bindArray("raws", String.class, Columns.of(messages, InboundMessage::rawJson))
                .bindArray("sent_ats", String.class, Columns.of(messages, m -> m.providerTimestamp().toString()))
                .bindArray("arrival_seqs", Long.class, Columns.of(messages, InboundMessage::arrivalSeq))
                .map((rs, ctx) -> {
                    insertedBusinessIds.add(rs.getLong(1));
                    insertedExternalIds.add(rs.getString(2));
                    return null;
                })
                .list();
        if (!insertedExternalIds.isEmpty()) {
            tx.createUpdate(APPLY_EARLIER_REPORTS).addCustomizer(PlanEachTime.INSTANCE)
                    .bindArray("business_ids", Long.class, insertedBusinessIds)
                    .bindArray("external_ids", String.class, insertedExternalIds)
                    .execute();
            Changes.record(tx, Changes.MESSAGE, insertedBusinessIds, insertedExternalIds);
        }
    }

    /**
     * The conversation of a customer (by their address on the channel: phone number digits, email address) on one of
     * our channels, started if there is none, with {@code at} as its latest message time if it is later.
     */
    public static long conversationFor(Handle tx, Channel channel, String customerAddress, java.time.Instant at) {
        return tx.createQuery(CONVERSATION_FOR).bind("business_id", channel.businessId()).bind("address", customerAddress)
                .bind("channel_id", channel.id()).bind("at", at).mapTo(Long.class).one();
    }

    /** Records every report, and moves each message that exists to the furthest status reported in the batch. */
    public static void applyStatuses(Handle tx, List<StatusReport> reports) {
        List<Long> businessIds = Columns.of(reports, r -> r.channel().businessId());
        List<String> externalIds = Columns.of(reports, StatusReport::externalId);
        List<String> statuses = Columns.of(reports, StatusReport::status);
        List<Integer> ranks = Columns.of(reports, StatusReport::rank);
        List<String> errors = Columns.of(reports, StatusReport::errorsJson);
        lockMessageIds(tx, businessIds, externalIds);
        tx.createUpdate(INSERT_REPORTS)
                .bindArray("business_ids", Long.class, businessIds)
                .bindArray("external_ids", String.class, externalIds)
                .bindArray("statuses", String.class, statuses)
                .bindArray("ranks", Integer.class, ranks)
                .bindArray("reported_ats", String.class, Columns.of(reports, r -> r.providerTimestamp().toString()))
                .bindArray("recipient_ids", String.class, Columns.of(reports, StatusReport::recipientId))
                .bindArray("errors", String.class, errors)
                .bindArray("arrival_seqs", Long.class, Columns.of(reports, StatusReport::arrivalSeq))
                .execute();
        tx.createUpdate(ADVANCE_STATUSES).addCustomizer(PlanEachTime.INSTANCE)
                .bindArray("business_ids", Long.class, businessIds)
                .bindArray("external_ids", String.class, externalIds)
                .bindArray("statuses", String.class, statuses)
                .bindArray("ranks", Integer.class, ranks)
                .bindArray("errors", String.class, errors)
                .execute();
    }

    private static void lockMessageIds(Handle tx, List<Long> businessIds, List<String> externalIds) {
        tx.createQuery(LOCK_MESSAGE_IDS)
                .bindArray("business_ids", Long.class, businessIds)
                .bindArray("external_ids", String.class, externalIds)
                .mapToMap()
                .list();
    }

    private static Map<String, Long> upsertCustomers(Handle tx, List<InboundMessage> messages) {
        List<Long> businessIds = Columns.of(messages, m -> m.channel().businessId());
        List<String> waIds = Columns.of(messages, InboundMessage::customerWaId);
        tx.createUpdate(UPSERT_CUSTOMERS)
                .bindArray("business_ids", Long.class, businessIds)
                .bindArray("wa_ids", String.class, waIds)
                .bindArray("names", String.class, Columns.of(messages, InboundMessage::customerName))
                .bindArray("name_ats", String.class,
                        Columns.of(messages, m -> m.customerName() == null ? null : m.providerTimestamp().toString()))
                .bindArray("event_ids", Long.class, Columns.of(messages, InboundMessage::arrivalSeq))
                .execute();
        Map<String, Long> ids = new HashMap<>();
        tx.createQuery(FIND_CUSTOMERS)
                .bindArray("business_ids", Long.class, businessIds)
                .bindArray("wa_ids", String.class, waIds)
                .map((rs, ctx) -> ids.put(rs.getLong("business_id") + ":" + rs.getString("wa_id"), rs.getLong("id")))
                .list();
        return ids;
    }

    private static Map<String, Long> upsertConversations(Handle tx, List<InboundMessage> messages,
                                                         Map<String, Long> customerIds) {
        List<Long> businessIds = Columns.of(messages, m -> m.channel().businessId());
        List<Long> customers = Columns.of(messages, m -> customerIds.get(m.channel().businessId() + ":" + m.customerWaId()));
        List<Long> channels = Columns.of(messages, m -> m.channel().id());
        tx.createUpdate(UPSERT_CONVERSATIONS)
                .bindArray("business_ids", Long.class, businessIds)
                .bindArray("customer_ids", Long.class, customers)
                .bindArray("channel_ids", Long.class, channels)
                .bindArray("sent_ats", String.class, Columns.of(messages, m -> m.providerTimestamp().toString()))
                .execute();
        Map<String, Long> ids = new HashMap<>();
        tx.createQuery(FIND_CONVERSATIONS)
                .bindArray("business_ids", Long.class, businessIds)
                .bindArray("customer_ids", Long.class, customers)
                .bindArray("channel_ids", Long.class, channels)
                .map((rs, ctx) -> ids.put(rs.getLong("business_id") + ":" + rs.getLong("customer_id") + ":"
                        + rs.getLong("channel_id"), rs.getLong("id")))
                .list();
        return ids;
    }
}
