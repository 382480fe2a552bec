package io.steadfast.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steadfast.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;

/** Builds order objects shaped like Shopify's {@code orders/*} webhook bodies. */
public final class ShopifyPayloads {

    private ShopifyPayloads() {
    }

    /** One version of an order: what it looked like at {@code updatedAt}. */
    public record OrderVersion(long orderId, Instant createdAt, Instant updatedAt, String financialStatus,
                               String fulfillmentStatus, Instant cancelledAt, String totalPrice, int quantity) {
    }

    public static byte[] order(OrderVersion v) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", v.orderId());
        o.put("admin_graphql_api_id", "gid://shopify/Order/" + v.orderId());
        o.put("name", "#" + (1000 + v.orderId() % 100_000));
        o.put("email", "buyer" + v.orderId() + "@example.com");
        o.put("created_at", v.createdAt().atOffset(ZoneOffset.ofHours(-5)).toString());
        o.put("updated_at", v.updatedAt().atOffset(ZoneOffset.ofHours(-5)).toString());
        o.put("currency", "USD");
        o.put("financial_status", v.financialStatus());
        o.put("fulfillment_status", v.fulfillmentStatus());
        o.put("cancelled_at", v.cancelledAt() == null ? null : v.cancelledAt().toString());
        o.put("cancel_reason", v.cancelledAt() == null ? null : "customer");
        o.put("total_price", v.totalPrice());
        o.put("subtotal_price", v.totalPrice());
        o.put("total_tax", "0.00");
        ArrayNode items = o.putArray("line_items");
        ObjectNode item = items.addObject();
        item.put("id", v.orderId() * 10 + 1);
        item.put("title", "Steadfast mug");
        item.put("quantity", v.quantity());
        item.put("price", v.totalPrice());
        o.putArray("shipping_lines").addObject().put("title", "Standard").put("price", "4.99");
        ObjectNode customer = o.putObject("customer");
        customer.put("id", 7_000_000L + v.orderId());
        customer.put("email", "buyer" + v.orderId() + "@example.com");
        customer.put("first_name", "Ana");
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }
}
