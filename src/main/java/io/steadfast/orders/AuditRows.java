package io.steadfast.orders;

import io.steadfast.db.Columns;
import java.time.Instant;
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

    private record Row(OrderDelivery delivery, AuditOutcome outcome, String reason, Integer versionAfter) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(OrderDelivery delivery, AuditOutcome outcome, String reason, Integer versionAfter) {
        rows.add(new Row(delivery, outcome, reason, versionAfter));
    }

    /** Inserts every row gathered; returns how many were inserted. */
    int insert(Handle tx) {
        if (rows.isEmpty()) {
            return 0;
        }
        return tx.createUpdate(INSERT)
                .bindArray("business_ids", Long.class, Columns.of(rows, r -> r.delivery().businessId()))
                .bindArray("order_ids", Long.class, Columns.of(rows, r -> r.delivery().order().shopifyOrderId()))
                .bindArray("inbox_event_ids", Long.class, Columns.of(rows, r -> r.delivery().inboxEventId()))
                .bindArray("webhook_ids", String.class, Columns.of(rows, r -> r.delivery().webhookId()))
                .bindArray("event_ids", String.class, Columns.of(rows, r -> r.delivery().eventId()))
                .bindArray("topics", String.class, Columns.of(rows, r -> r.delivery().topic()))
                .bindArray("outcomes", String.class, Columns.of(rows, r -> r.outcome().sql()))
                .bindArray("reasons", String.class, Columns.of(rows, Row::reason))
                .bindArray("updated_ats", String.class, Columns.of(rows, r -> text(r.delivery().order().updatedAt())))
                .bindArray("triggered_ats", String.class, Columns.of(rows, r -> text(r.delivery().triggeredAt())))
                .bindArray("version_afters", Integer.class, Columns.of(rows, Row::versionAfter))
                .execute();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
