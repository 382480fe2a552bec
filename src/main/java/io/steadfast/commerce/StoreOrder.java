package io.steadfast.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An order of the business's own store, with its items and what became of its notifications. */
public record StoreOrder(long id, long businessId, String status, String currency, long subtotal, long shipping,
                         String shippingSource, String shippingReason, long total, Long walletId, Long cartId,
                         String email, String shippingAddress, Instant createdAt, Instant updatedAt, List<Item> items,
                         Map<String, Notification> notifications) {
    static final String COLUMNS = "id, business_id, status, currency, subtotal, shipping, shipping_source, "
            + "shipping_reason, total, wallet_id, cart_id, email, shipping_address, created_at, updated_at";

    /** A line of the order, at the price it was sold for. */
    public record Item(long productId, long quantity, long unitPrice) {
    }

    /** A notification of the order: {@code pending}, {@code sent}, {@code failed} or {@code skipped}, and why. */
    public record Notification(String status, String reason) {
    }

    static StoreOrder map(ResultSet rs, List<Item> items, Map<String, Notification> notifications) throws SQLException {
        return new StoreOrder(rs.getLong("id"), rs.getLong("business_id"), rs.getString("status"),
                rs.getString("currency"), rs.getLong("subtotal"), rs.getLong("shipping"), rs.getString("shipping_source"),
                rs.getString("shipping_reason"), rs.getLong("total"), (Long) rs.getObject("wallet_id"),
                (Long) rs.getObject("cart_id"), rs.getString("email"), rs.getString("shipping_address"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(), items, notifications);
    }

    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("status", status);
        json.put("currency", currency);
        json.put("items", items.stream().map(i -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("product_id", i.productId());
            item.put("quantity", i.quantity());
            item.put("unit_price", Money.format(i.unitPrice(), currency));
            item.put("amount", Money.format(i.unitPrice() * i.quantity(), currency));
            return item;
        }).toList());
        json.put("subtotal", Money.format(subtotal, currency));
        Map<String, Object> ship = new LinkedHashMap<>();
        ship.put("amount", Money.format(shipping, currency));
        ship.put("source", shippingSource);
        if (shippingReason != null) {
            ship.put("reason", shippingReason);
        }
        json.put("shipping", ship);
        json.put("total", Money.format(total, currency));
        json.put("wallet_id", walletId);
        json.put("cart_id", cartId);
        json.put("email", email);
        JsonNode address = shippingAddress == null ? null : Json.parse(shippingAddress);
        json.put("shipping_address", address);
        Map<String, Object> sent = new LinkedHashMap<>();
        notifications.forEach((channel, n) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("status", n.status());
            if (n.reason() != null) {
                one.put("reason", n.reason());
            }
            sent.put(channel, one);
        });
        json.put("notifications", sent);
        json.put("created_at", createdAt.toString());
        json.put("updated_at", updatedAt.toString());
        return json;
    }
}
