package io.steadfast.orders;

import io.steadfast.realtime.Changes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Applies order deliveries: last writer wins by the payload's {@code updated_at}, one audit row per delivery, and
 * a change-log entry for live clients, all in the caller's transaction.
 *
 * <p>A transaction-scoped advisory lock per order serialises the deliveries of one order across workers, so the
 * check for a second delivery of the same merchant action (same event id) cannot race. Callers apply a batch in
 * {@link #LOCK_ORDER} so two batches never wait on each other in a circle.
 */
public final class OrderWrites {
    public static final java.util.Comparator<OrderDelivery> LOCK_ORDER = java.util.Comparator
            .comparingLong(OrderDelivery::businessId).thenComparingLong(d -> d.order().shopifyOrderId());

    private static final String LOCK_ORDER_SQL = """
            SELECT 1 FROM (SELECT pg_advisory_xact_lock(
                hashtextextended('order:' || :business_id || ':' || :order_id, 0))) locked
            """;

    private static final String FIND_SAME_ACTION = """
            SELECT webhook_id FROM order_audit
            WHERE business_id = :business_id AND event_id = :event_id AND outcome <> 'failed'
              AND inbox_event_id <> :inbox_event_id
            ORDER BY id
            LIMIT 1
            """;

    private static final String UPSERT_IF_NEWER = """
            INSERT INTO shop_order (business_id, shopify_order_id, shop_domain, name, email, financial_status,
                                    fulfillment_status, cancelled_at, cancel_reason, currency, total_price,
                                    subtotal_price, total_tax, shipping_fee, line_items, customer, placed_at,
                                    last_external_updated_at, version, last_inbox_event_id)
            VALUES (:business_id, :order_id, :shop_domain, :name, :email, :financial_status, :fulfillment_status,
                    :cancelled_at, :cancel_reason, :currency, :total_price, :subtotal_price, :total_tax, :shipping_fee,
                    CAST(:line_items AS json), CAST(:customer AS json), :placed_at, :updated_at, 1, :inbox_event_id)
            ON CONFLICT (business_id, shopify_order_id) DO UPDATE
            SET shop_domain = EXCLUDED.shop_domain, name = EXCLUDED.name, email = EXCLUDED.email,
                financial_status = EXCLUDED.financial_status, fulfillment_status = EXCLUDED.fulfillment_status,
                cancelled_at = EXCLUDED.cancelled_at, cancel_reason = EXCLUDED.cancel_reason,
                currency = EXCLUDED.currency, total_price = EXCLUDED.total_price,
                subtotal_price = EXCLUDED.subtotal_price, total_tax = EXCLUDED.total_tax,
                shipping_fee = EXCLUDED.shipping_fee, line_items = EXCLUDED.line_items, customer = EXCLUDED.customer,
                placed_at = EXCLUDED.placed_at, last_external_updated_at = EXCLUDED.last_external_updated_at,
                version = shop_order.version + 1, last_inbox_event_id = EXCLUDED.last_inbox_event_id,
                updated_at = now()
            WHERE shop_order.last_external_updated_at < EXCLUDED.last_external_updated_at
            RETURNING version
            """;

    private static final String STORED_UPDATED_AT = """
            SELECT last_external_updated_at FROM shop_order
            WHERE business_id = :business_id AND shopify_order_id = :order_id
            """;

    private static final String INSERT_AUDIT = """
            INSERT INTO order_audit (business_id, shopify_order_id, inbox_event_id, webhook_id, event_id, topic,
                                     outcome, reason, external_updated_at, triggered_at, version_after, processed_at)
            VALUES (:business_id, :order_id, :inbox_event_id, :webhook_id, :event_id, :topic, :outcome, :reason,
                    :updated_at, :triggered_at, :version_after, now())
            """;

    private OrderWrites() {
    }

    public enum Outcome { PROCESSED, DISCARDED }

    /** Applies one delivery if it is newer than what is stored; either way, audits it. */
    public static Outcome apply(Handle tx, OrderDelivery d) {
        tx.createQuery(LOCK_ORDER_SQL).bind("business_id", d.businessId()).bind("order_id", d.order().shopifyOrderId())
                .mapTo(Integer.class).one();
        if (d.eventId() != null) {
            Optional<String> first = tx.createQuery(FIND_SAME_ACTION)
                    .bind("business_id", d.businessId())
                    .bind("event_id", d.eventId())
                    .bind("inbox_event_id", d.inboxEventId())
                    .mapTo(String.class).findOne();
            if (first.isPresent()) {
                audit(tx, d, "discarded", "duplicate: the same merchant action (X-Shopify-Event-Id " + d.eventId()
                        + ") was delivered before as webhook " + first.get(), null);
                return Outcome.DISCARDED;
            }
        }
        OrderSnapshot o = d.order();
        Optional<Integer> version = tx.createQuery(UPSERT_IF_NEWER)
                .bind("business_id", d.businessId())
                .bind("order_id", o.shopifyOrderId())
                .bind("shop_domain", d.shopDomain())
                .bind("name", o.name())
                .bind("email", o.email())
                .bind("financial_status", o.financialStatus())
                .bind("fulfillment_status", o.fulfillmentStatus())
                .bind("cancelled_at", o.cancelledAt())
                .bind("cancel_reason", o.cancelReason())
                .bind("currency", o.currency())
                .bind("total_price", o.totalPrice())
                .bind("subtotal_price", o.subtotalPrice())
                .bind("total_tax", o.totalTax())
                .bind("shipping_fee", o.shippingFee())
                .bind("line_items", o.lineItems())
                .bind("customer", o.customer())
                .bind("placed_at", o.placedAt())
                .bind("updated_at", o.updatedAt())
                .bind("inbox_event_id", d.inboxEventId())
                .mapTo(Integer.class).findOne();
        if (version.isEmpty()) {
            Instant stored = tx.createQuery(STORED_UPDATED_AT).bind("business_id", d.businessId())
                    .bind("order_id", o.shopifyOrderId()).mapTo(Instant.class).one();
            audit(tx, d, "discarded", "stale: updated_at " + o.updatedAt() + " is not newer than the stored "
                    + stored, null);
            return Outcome.DISCARDED;
        }
        audit(tx, d, "processed", null, version.get());
        Changes.record(tx, Changes.ORDER, List.of(d.businessId()), List.of(Long.toString(o.shopifyOrderId())));
        return Outcome.PROCESSED;
    }

    /** The audit row of a delivery that was dead-lettered: it changed nothing, and here is why. */
    public static void recordFailure(Handle tx, OrderDelivery d, String reason) {
        audit(tx, d, "failed", reason, null);
    }

    private static void audit(Handle tx, OrderDelivery d, String outcome, String reason, Integer versionAfter) {
        int inserted = tx.createUpdate(INSERT_AUDIT)
                .bind("business_id", d.businessId())
                .bind("order_id", d.order().shopifyOrderId())
                .bind("inbox_event_id", d.inboxEventId())
                .bind("webhook_id", d.webhookId())
                .bind("event_id", d.eventId())
                .bind("topic", d.topic())
                .bind("outcome", outcome)
                .bind("reason", reason)
                .bind("updated_at", d.order().updatedAt())
                .bind("triggered_at", d.triggeredAt())
                .bind("version_after", versionAfter)
                .execute();
        if (inserted != 1) {
            throw new IllegalStateException("audit row for inbox event " + d.inboxEventId() + " inserted " + inserted);
        }
    }
}
