package io.steadfast.commerce;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One movement of a wallet's balance: credits positive, debits and captures negative. */
public record WalletEntry(long id, long walletId, long amount, String kind, String reason, Long holdId,
                          Instant createdAt) {
    static final String COLUMNS = "id, wallet_id, amount, kind, reason, hold_id, created_at";

    static WalletEntry map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new WalletEntry(rs.getLong("id"), rs.getLong("wallet_id"), rs.getLong("amount"), rs.getString("kind"),
                rs.getString("reason"), (Long) rs.getObject("hold_id"),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
    }

    public Map<String, Object> json(String currency) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("kind", kind);
        json.put("amount", Money.format(amount, currency));
        json.put("reason", reason);
        json.put("hold_id", holdId);
        json.put("created_at", createdAt.toString());
        return json;
    }
}
