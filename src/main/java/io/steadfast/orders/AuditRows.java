package io.steadfast.orders;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Audit rows of a batch, gathered as the batch is judged and written in one statement. */
final class AuditRows {
    private static final String INSERT = """
            INSERT INTO order_audit (business_id, shopify_order_id, inbox_event_id, webhook_id, event_id, topic,
                                     outcome, reason, external_updated_at, triggered_at, version_after, processed_at)
            SELECT business_id, order_id, inbox_event_id, webhook_id, event_id, topic, outcome, reason,
                   updated_at::timestamptz, triggered_at::timestamptz, version_after, now()
            FROM unnest(:business_ids, :order_ids, :inbox_event_ids, :webhook_ids, :event_ids, :topics, :outcomes,
                        :reasons, :updated_ats, :triggered_ats, :version_afters)
                 AS a(business_id, order_id, inbox_event_id, webhook_id, event_id, topic, outcome, reason,
                      updated_at, triggered_at, version_after)
            """;

    private record Row(OrderDelivery delivery, String outcome, String reason, Integer versionAfter) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(OrderDelivery delivery, String outcome, String reason, Integer versionAfter) {
        rows.add(new Row(delivery, outcome, reason, versionAfter));
    }

    /** Inserts every row gathered; returns how many were inserted. */
    int insert(Handle tx) {
        if (rows.isEmpty()) {
            return 0;
        }
        List<Long> businessIds = new ArrayList<>();
        List<Long> orderIds = new ArrayList<>();
        List<Long> inboxEventIds = new ArrayList<>();
        List<String> webhookIds = new ArrayList<>();
        List<String> eventIds = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> updatedAts = new ArrayList<>();
        List<String> triggeredAts = new ArrayList<>();
        List<Integer> versionAfters = new ArrayList<>();
        for (Row row : rows) {
            OrderDelivery d = row.delivery();
            businessIds.add(d.businessId());
            orderIds.add(d.order().shopifyOrderId());
            inboxEventIds.add(d.inboxEventId());
            webhookIds.add(d.webhookId());
            eventIds.add(d.eventId());
            topics.add(d.topic());
            outcomes.add(row.outcome());
            reasons.add(row.reason());
            updatedAts.add(d.order().updatedAt() == null ? null : d.order().updatedAt().toString());
            triggeredAts.add(d.triggeredAt() == null ? null : d.triggeredAt().toString());
            versionAfters.add(row.versionAfter());
        }
        return tx.createUpdate(INSERT)
                .bindArray("business_ids", Long.class, businessIds)
                .bindArray("order_ids", Long.class, orderIds)
                .bindArray("inbox_event_ids", Long.class, inboxEventIds)
                .bindArray("webhook_ids", String.class, webhookIds)
                .bindArray("event_ids", String.class, eventIds)
                .bindArray("topics", String.class, topics)
                .bindArray("outcomes", String.class, outcomes)
                .bindArray("reasons", String.class, reasons)
                .bindArray("updated_ats", String.class, updatedAts)
                .bindArray("triggered_ats", String.class, triggeredAts)
                .bindArray("version_afters", Integer.class, versionAfters)
                .execute();
    }
}
