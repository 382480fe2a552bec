package io.steadfast.commerce;

import io.steadfast.db.BusinessScope;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Every wallet against its ledger and its holds: the balance must equal the sum of its entries, and {@code held} the
 * sum of its active holds. Returns the wallets where either is not so (none, in a sound store).
 */
public final class LedgerCheck {
    private LedgerCheck() {
    }

    /** A wallet whose books do not agree, all in minor units. */
    public record Mismatch(long businessId, long walletId, String currency, long balance, long ledger, long held,
                           long activeHolds) {
    }

    public static long wallets(Jdbi jdbi) {
        return jdbi.inTransaction(h -> {
            BusinessScope.actForAll(h);
            return h.createQuery("SELECT count(*) FROM wallet").mapTo(Long.class).one();
        });
    }

    public static List<Mismatch> run(Jdbi jdbi) {
        // one snapshot, so that entries and balances are read as of the same moment
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            BusinessScope.actForAll(h);
            return h.createQuery("""
                            SELECT w.business_id, w.id, w.currency, w.balance, w.held,
                                   coalesce(e.total, 0) AS ledger, coalesce(x.total, 0) AS active_holds
                            FROM wallet w
                            LEFT JOIN (SELECT business_id, wallet_id, sum(amount) AS total FROM wallet_entry
                                       GROUP BY business_id, wallet_id) e
                                   ON e.business_id = w.business_id AND e.wallet_id = w.id
                            LEFT JOIN (SELECT business_id, wallet_id, sum(amount) AS total FROM wallet_hold
                                       WHERE status = 'active' GROUP BY business_id, wallet_id) x
                                   ON x.business_id = w.business_id AND x.wallet_id = w.id
                            WHERE w.balance <> coalesce(e.total, 0) OR w.held <> coalesce(x.total, 0)
                            ORDER BY w.business_id, w.id
                            """)
                    .map((rs, ctx) -> new Mismatch(rs.getLong("business_id"), rs.getLong("id"), rs.getString("currency"),
                            rs.getLong("balance"), rs.getLong("ledger"), rs.getLong("held"), rs.getLong("active_holds")))
                    .list();
        });
    }
}
