package io.steadfast.commerce;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Money set aside from a wallet until it is captured (all or part), voided or expires: each happens once. */
public record WalletHold(long id, long businessId, long walletId, long amount, Long captured, String status,
                         Instant expiresAt, Instant createdAt, Instant resolvedAt) {
    static final String COLUMNS = "id, business_id, wallet_id, amount, captured, status, expires_at, created_at, resolved_at";

    static WalletHold map(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.time.OffsetDateTime resolved = rs.getObject("resolved_at", java.time.OffsetDateTime.class);
        return new WalletHold(rs.getLong("id"), rs.getLong("business_id"), rs.getLong("wallet_id"), rs.getLong("amount"),
                (Long) rs.getObject("captured"), rs.getString("status"),
                rs.getObject("expires_at", java.time.OffsetDateTime.class).toInstant(),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant(),
                resolved == null ? null : resolved.toInstant());
    }

    public Map<String, Object> json(String currency) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("wallet_id", walletId);
        json.put("amount", Money.format(amount, currency));
        json.put("captured", captured == null ? null : Money.format(captured, currency));
        json.put("status", status);
        json.put("expires_at", expiresAt.toString());
        json.put("created_at", createdAt.toString());
        json.put("resolved_at", resolvedAt == null ? null : resolvedAt.toString());
        return json;
    }
}
