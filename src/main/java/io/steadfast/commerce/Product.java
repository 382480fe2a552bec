package io.steadfast.commerce;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A product of the business's store, with its stock: on hand, and reserved of it by carts and orders. */
public record Product(long id, long businessId, String sku, String name, long price, String currency, long onHand,
                      long reserved, String status, Instant deletedAt, Instant createdAt, Instant updatedAt) {
    static final String COLUMNS = "id, business_id, sku, name, price, currency, on_hand, reserved, status, deleted_at, "
            + "created_at, updated_at";

    Product withOnHand(long units) {
        return new Product(id, businessId, sku, name, price, currency, units, reserved, status, deletedAt, createdAt,
                updatedAt);
    }

    public long available() {
        return onHand - reserved;
    }

    static Product map(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.time.OffsetDateTime deleted = rs.getObject("deleted_at", java.time.OffsetDateTime.class);
        return new Product(rs.getLong("id"), rs.getLong("business_id"), rs.getString("sku"), rs.getString("name"),
                rs.getLong("price"), rs.getString("currency"), rs.getLong("on_hand"), rs.getLong("reserved"),
                rs.getString("status"), deleted == null ? null : deleted.toInstant(),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant());
    }

    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("sku", sku);
        json.put("name", name);
        json.put("price", Money.format(price, currency));
        json.put("currency", currency);
        json.put("status", status);
        json.put("on_hand", onHand);
        json.put("reserved", reserved);
        json.put("available", available());
        json.put("deleted", deletedAt != null);
        json.put("created_at", createdAt.toString());
        json.put("updated_at", updatedAt.toString());
        return json;
    }
}
