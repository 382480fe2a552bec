package io.steadfast.orders;

import io.steadfast.realtime.Changes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Applies order deliveries: last writer wins by the payload's {@code updated_at}, one audit row per delivery, and
 * a change-log entry for live clients, all in the caller's transaction.
 *
 * <p>A transaction-scoped advisory lock per order serialises the deliveries of one order across workers, so the
 * check for a second delivery of the same merchant action (same event id) cannot race. A batch takes its locks in
 * {@link #LOCK_ORDER} so two batches never wait on each other in a circle.
 */
public final class OrderWrites {
    private static final Comparator<OrderDelivery> LOCK_ORDER = Comparator
            .comparingLong(OrderDelivery::businessId).thenComparingLong(d -> d.order().shopifyOrderId());

    private static final String LOCK_ORDER_SQL = """
            SELECT 1 FROM (SELECT pg_advisory_xact_lock(
                hashtextextended('order:' || :business_id || ':' || :order_id, 0))) locked
            """;

    private static final String FIND_SAME_ACTIONS = """
            SELECT event_id, webhook_id FROM order_audit
            WHERE business_id = :business_id AND event_id = ANY(:event_ids) AND outcome <> 'failed'
              AND NOT (inbox_event_id = ANY(:inbox_event_ids))
            ORDER BY id
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

    /**
     * Applies a batch of deliveries, order by order: of the deliveries of one order that are not repeats of an
     * earlier merchant action, only the newest can win, so it alone is tried against the stored row; the others
     * are audited as superseded. Every delivery gets its audit row.
     */
    public static void applyAll(Handle tx, List<OrderDelivery> deliveries) {
        Map<String, List<OrderDelivery>> byOrder = new TreeMap<>();
        deliveries.stream().sorted(LOCK_ORDER).forEach(d -> byOrder.computeIfAbsent(
                String.format("%020d:%020d", d.businessId(), d.order().shopifyOrderId()), k -> new ArrayList<>()).add(d));
        PreparedBatch audit = tx.prepareBatch(INSERT_AUDIT);
        byOrder.values().forEach(group -> applyOrder(tx, group, audit));
        int[] inserted = audit.execute();
        if (inserted.length != deliveries.size()) {
            throw new IllegalStateException(inserted.length + " audit rows for " + deliveries.size() + " deliveries");
        }
    }

    private static void applyOrder(Handle tx, List<OrderDelivery> group, PreparedBatch audit) {
        OrderDelivery first = group.getFirst();
        tx.createQuery(LOCK_ORDER_SQL).bind("business_id", first.businessId())
                .bind("order_id", first.order().shopifyOrderId()).mapTo(Integer.class).one();
        Map<String, String> actions = earlierActions(tx, group);
        List<OrderDelivery> candidates = new ArrayList<>();
        for (OrderDelivery d : group.stream().sorted(Comparator.comparingLong(OrderDelivery::inboxEventId)).toList()) {
            String earlier = d.eventId() == null ? null : actions.putIfAbsent(d.eventId(), d.webhookId());
            if (earlier != null) {
                add(audit, d, "discarded", "duplicate: the same merchant action (X-Shopify-Event-Id " + d.eventId()
                        + ") was delivered before as webhook " + earlier, null);
            } else {
                candidates.add(d);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        OrderDelivery winner = candidates.stream()
                .max(Comparator.comparing((OrderDelivery d) -> d.order().updatedAt())
                        .thenComparing(Comparator.comparingLong(OrderDelivery::inboxEventId).reversed()))
                .orElseThrow();
        Optional<Integer> version = upsertIfNewer(tx, winner);
        if (version.isPresent()) {
            add(audit, winner, "processed", null, version.get());
            Changes.record(tx, Changes.ORDER, List.of(winner.businessId()),
                    List.of(Long.toString(winner.order().shopifyOrderId())));
        } else {
            Instant stored = tx.createQuery(STORED_UPDATED_AT).bind("business_id", winner.businessId())
                    .bind("order_id", winner.order().shopifyOrderId()).mapTo(Instant.class).one();
            add(audit, winner, "discarded", "stale: updated_at " + winner.order().updatedAt()
                    + " is not newer than the stored " + stored, null);
        }
        for (OrderDelivery d : candidates) {
            if (d != winner) {
                add(audit, d, "discarded", "stale: updated_at " + d.order().updatedAt() + " is not newer than "
                        + winner.order().updatedAt() + " of webhook " + winner.webhookId() + ", in the same batch", null);
            }
        }
    }

    /** Event id to the webhook that first carried it, for deliveries of other inbox events already audited. */
    private static Map<String, String> earlierActions(Handle tx, List<OrderDelivery> group) {
        List<String> eventIds = group.stream().map(OrderDelivery::eventId).filter(java.util.Objects::nonNull).distinct().toList();
        Map<String, String> actions = new HashMap<>();
        if (eventIds.isEmpty()) {
            return actions;
        }
        tx.createQuery(FIND_SAME_ACTIONS)
                .bind("business_id", group.getFirst().businessId())
                .bindArray("event_ids", String.class, eventIds)
                .bindArray("inbox_event_ids", Long.class, group.stream().map(OrderDelivery::inboxEventId).toList())
                .map((rs, ctx) -> List.of(rs.getString("event_id"), rs.getString("webhook_id")))
                .forEach(row -> actions.putIfAbsent(row.get(0), row.get(1)));
        return actions;
    }

    private static Optional<Integer> upsertIfNewer(Handle tx, OrderDelivery d) {
        OrderSnapshot o = d.order();
        return tx.createQuery(UPSERT_IF_NEWER)
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
    }

    /** The audit row of a delivery that was dead-lettered: it changed nothing, and here is why. */
    public static void recordFailure(Handle tx, OrderDelivery d, String reason) {
        PreparedBatch audit = tx.prepareBatch(INSERT_AUDIT);
        add(audit, d, "failed", reason, null);
        audit.execute();
    }

    private static void add(PreparedBatch audit, OrderDelivery d, String outcome, String reason, Integer versionAfter) {
        audit
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
                .add();
    }
}
