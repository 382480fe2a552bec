package io.steadfast.commerce;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A cart: stock reserved for a while, until it is ordered or expires. */
public record Cart(long id, String status, Instant expiresAt, Instant createdAt, List<OrderLine> items) {
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("status", status);
        json.put("expires_at", expiresAt.toString());
        json.put("created_at", createdAt.toString());
        json.put("items", items.stream().map(i -> Map.of("product_id", i.productId(), "quantity", i.quantity())).toList());
        return json;
    }
}
