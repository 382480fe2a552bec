package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.json.Json;
import io.steadfast.orders.OrderQueries;
import io.steadfast.orders.OrderQueries.AuditEntry;
import io.steadfast.orders.OrderQueries.OrderView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Shopify orders in their latest state, newest first, and each order's audit log. */
final class OrdersApi {
    static final int MAX_ORDERS = 500;
    static final int MAX_AUDIT = 10_000;

    private final OrderQueries queries;

    OrdersApi(Jdbi jdbi) {
        this.queries = new OrderQueries(jdbi);
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/orders", this::list);
        routes.get("/v1/orders/{shopify_order_id}", this::one);
        routes.get("/v1/orders/{shopify_order_id}/audit", this::audit);
    }

    private void list(Context ctx) {
        int limit = Pages.limit(ctx, 50, MAX_ORDERS);
        Optional<OrderView> before = Cursor.decode(ctx.queryParam("cursor")).map(c -> new OrderView(0, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, c.at(), null, 0, c.id()));
        List<OrderView> rows = queries.newest(Authentication.caller(ctx).businessId(), limit, before);
        Pages.write(ctx, rows, limit, OrdersApi::orderJson, o -> new Cursor(o.placedAt(), o.rowId()));
    }

    private void one(Context ctx) {
        long id = MessagingApi.pathId(ctx, "shopify_order_id");
        ctx.json(orderJson(queries.find(Authentication.caller(ctx).businessId(), id).orElseThrow(() -> unknown(id))));
    }

    private void audit(Context ctx) {
        long businessId = Authentication.caller(ctx).businessId();
        long id = MessagingApi.pathId(ctx, "shopify_order_id");
        int limit = Pages.limit(ctx, 1_000, MAX_AUDIT);
        if (queries.find(businessId, id).isEmpty()) {
            throw unknown(id);
        }
        long after = Cursor.decode(ctx.queryParam("cursor")).map(Cursor::id).orElse(0L);
        List<AuditEntry> rows = queries.audit(businessId, id, limit, after);
        Pages.write(ctx, rows, limit, OrdersApi::auditJson, a -> new Cursor(Instant.EPOCH, a.id()));
    }

    private static InvalidRequestException unknown(long id) {
        return InvalidRequestException.notFound("no order has Shopify id " + id + " (yet: an order appears when its "
                + "first webhook has been processed)");
    }

    static Map<String, Object> orderJson(OrderView o) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("shopify_order_id", o.shopifyOrderId());
        json.put("shop_domain", o.shopDomain());
        json.put("name", o.name());
        json.put("email", o.email());
        json.put("financial_status", o.financialStatus());
        json.put("fulfillment_status", o.fulfillmentStatus());
        json.put("cancelled", o.cancelledAt() != null);
        json.put("cancelled_at", time(o.cancelledAt()));
        json.put("cancel_reason", o.cancelReason());
        json.put("currency", o.currency());
        json.put("total_price", money(o.totalPrice()));
        json.put("subtotal_price", money(o.subtotalPrice()));
        json.put("total_tax", money(o.totalTax()));
        json.put("shipping_fee", money(o.shippingFee()));
        json.put("line_items", Json.parse(o.lineItems()));
        json.put("customer", o.customer() == null ? null : Json.parse(o.customer()));
        json.put("placed_at", time(o.placedAt()));
        json.put("updated_at", time(o.lastExternalUpdatedAt()));
        json.put("version", o.version());
        return json;
    }

    private static Map<String, Object> auditJson(AuditEntry a) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", a.id());
        json.put("outcome", a.outcome());
        json.put("reason", a.reason());
        json.put("topic", a.topic());
        json.put("webhook_id", a.webhookId());
        json.put("event_id", a.eventId());
        json.put("inbox_event_id", a.inboxEventId());
        json.put("updated_at", time(a.externalUpdatedAt()));
        json.put("triggered_at", time(a.triggeredAt()));
        json.put("version_after", a.versionAfter());
        json.put("processed_at", time(a.processedAt()));
        return json;
    }

    private static String money(BigDecimal amount) {
        return amount == null ? null : amount.toPlainString();
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
