package io.steadfast.orders;

import io.steadfast.db.BusinessScope;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Orders and their audit logs, as the API reads them. */
public final class OrderQueries {
    private static final String COLUMNS = """
            shopify_order_id, shop_domain, name, email, financial_status, fulfillment_status, cancelled_at,
            cancel_reason, currency, total_price, subtotal_price, total_tax, shipping_fee, line_items::text AS line_items,
            customer::text AS customer, placed_at, last_external_updated_at, version, id
            """;

    private static final String NEWEST = "SELECT " + COLUMNS + """
            FROM shop_order
            WHERE business_id = :business_id AND (placed_at, id) < (:before_at, :before_id)
            ORDER BY placed_at DESC, id DESC
            LIMIT :limit
            """;

    private static final String ONE = "SELECT " + COLUMNS + """
            FROM shop_order
            WHERE business_id = :business_id AND shopify_order_id = :order_id
            """;

    private static final String AUDIT = """
            SELECT id, inbox_event_id, webhook_id, event_id, topic, outcome, reason, external_updated_at, triggered_at,
                   version_after, processed_at
            FROM order_audit
            WHERE business_id = :business_id AND shopify_order_id = :order_id AND id > :after_id
            ORDER BY id
            LIMIT :limit
            """;

    private final Jdbi jdbi;

    public OrderQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** An order as stored; {@code rowId} orders equal {@code placedAt} values in lists. */
    public record OrderView(long shopifyOrderId, String shopDomain, String name, String email, String financialStatus,
                            String fulfillmentStatus, Instant cancelledAt, String cancelReason, String currency,
                            BigDecimal totalPrice, BigDecimal subtotalPrice, BigDecimal totalTax, BigDecimal shippingFee,
                            String lineItems, String customer, Instant placedAt, Instant lastExternalUpdatedAt,
                            int version, long rowId) {
    }

    public record AuditEntry(long id, long inboxEventId, String webhookId, String eventId, String topic, String outcome,
                             String reason, Instant externalUpdatedAt, Instant triggeredAt, Integer versionAfter,
                             Instant processedAt) {
    }

    public List<OrderView> newest(long businessId, int limit, Optional<OrderView> before) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(NEWEST)
                .bind("business_id", businessId)
                .bind("before_at", before.map(OrderView::placedAt).orElse(Instant.parse("9999-12-31T00:00:00Z")))
                .bind("before_id", before.map(OrderView::rowId).orElse(Long.MAX_VALUE))
                .bind("limit", limit)
                .map((rs, ctx) -> order(rs))
                .list());
    }

    public Optional<OrderView> find(long businessId, long shopifyOrderId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> find(h, businessId, shopifyOrderId));
    }

    /** The order, read on {@code h} in whatever transaction it is in. */
    public static Optional<OrderView> find(Handle h, long businessId, long shopifyOrderId) {
        return h.createQuery(ONE).bind("business_id", businessId).bind("order_id", shopifyOrderId)
                .map((rs, ctx) -> order(rs)).findOne();
    }

    public List<AuditEntry> audit(long businessId, long shopifyOrderId, int limit, long afterId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery(AUDIT)
                .bind("business_id", businessId)
                .bind("order_id", shopifyOrderId)
                .bind("after_id", afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> new AuditEntry(rs.getLong("id"), rs.getLong("inbox_event_id"),
                        rs.getString("webhook_id"), rs.getString("event_id"), rs.getString("topic"),
                        rs.getString("outcome"), rs.getString("reason"), instant(rs, "external_updated_at"),
                        instant(rs, "triggered_at"), (Integer) rs.getObject("version_after"), instant(rs, "processed_at")))
                .list());
    }

    private static OrderView order(ResultSet rs) throws SQLException {
        return new OrderView(rs.getLong("shopify_order_id"), rs.getString("shop_domain"), rs.getString("name"),
                rs.getString("email"), rs.getString("financial_status"), rs.getString("fulfillment_status"),
                instant(rs, "cancelled_at"), rs.getString("cancel_reason"), rs.getString("currency"),
                rs.getBigDecimal("total_price"), rs.getBigDecimal("subtotal_price"), rs.getBigDecimal("total_tax"),
                rs.getBigDecimal("shipping_fee"), rs.getString("line_items"), rs.getString("customer"),
                instant(rs, "placed_at"), instant(rs, "last_external_updated_at"), rs.getInt("version"), rs.getLong("id"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
