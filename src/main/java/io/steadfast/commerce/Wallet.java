package io.steadfast.commerce;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A customer's wallet: its balance and what holds set aside from it, in minor units of its currency. */
public record Wallet(long id, long businessId, String customerRef, String currency, long balance, long held,
                     Instant createdAt, Instant updatedAt) {
    static final String COLUMNS = "id, business_id, customer_ref, currency, balance, held, created_at, updated_at";

    public long available() {
        return balance - held;
    }

    static Wallet map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Wallet(rs.getLong("id"), rs.getLong("business_id"), rs.getString("customer_ref"),
                rs.getString("currency"), rs.getLong("balance"), rs.getLong("held"),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant());
    }

    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("customer_ref", customerRef);
        json.put("currency", currency);
        json.put("balance", Money.format(balance, currency));
        json.put("held", Money.format(held, currency));
        json.put("available", Money.format(available(), currency));
        json.put("created_at", createdAt.toString());
        json.put("updated_at", updatedAt.toString());
        return json;
    }
}
