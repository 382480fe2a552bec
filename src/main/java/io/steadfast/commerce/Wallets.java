package io.steadfast.commerce;

import io.steadfast.db.BusinessScope;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.idempotency.Idempotency;
import io.steadfast.idempotency.IdempotencyKey;
import io.steadfast.inbox.Jobs;
import io.steadfast.inbox.NewEvent;
import io.steadfast.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Moving money in wallets. Every movement is one guarded statement on the wallet row and its ledger entry, in one
 * transaction: a debit or a hold changes the row only where {@code balance - held} covers it, so concurrent debits
 * cannot overdraw (and the CHECK constraints would refuse it anyway). Holds resolve once: capture, void and expiry
 * each update the hold from {@code active}, and only the one that does moves money.
 */
public final class Wallets {
    public static final String SOURCE = "commerce";
    public static final String HOLD_EXPIRY_EVENT = "wallet.hold_expiry";
    /** The guard of every withdrawal: what is available covers it. */
    private static final String AVAILABLE_COVERS = " AND balance - held >= :amount";

    private final Jdbi jdbi;

    public Wallets(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The customer's wallet in that currency, made if missing; {@code true} with it when it was made now. */
    public Map.Entry<Wallet, Boolean> open(long businessId, String customerRef, String currency) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> {
            Optional<Wallet> made = h.createQuery("INSERT INTO wallet (business_id, customer_ref, currency) "
                            + "VALUES (:business_id, :customer_ref, :currency) ON CONFLICT DO NOTHING RETURNING "
                            + Wallet.COLUMNS)
                    .bind("business_id", businessId).bind("customer_ref", customerRef).bind("currency", currency)
                    .map((rs, ctx) -> Wallet.map(rs)).findOne();
            return made.map(w -> Map.entry(w, true)).orElseGet(() -> Map.entry(h.createQuery("SELECT " + Wallet.COLUMNS
                            + " FROM wallet WHERE business_id = :business_id AND customer_ref = :customer_ref "
                            + "AND currency = :currency")
                    .bind("business_id", businessId).bind("customer_ref", customerRef).bind("currency", currency)
                    .map((rs, ctx) -> Wallet.map(rs)).one(), false));
        });
    }

    /** Wallets of the business by id, after {@code afterId}. */
    public List<Wallet> list(long businessId, long afterId, int limit) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("SELECT " + Wallet.COLUMNS
                        + " FROM wallet WHERE business_id = :business_id AND id > :after ORDER BY id LIMIT :limit")
                .bind("business_id", businessId).bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> Wallet.map(rs)).list());
    }

    public Optional<Wallet> find(long businessId, long id) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> find(h, businessId, id));
    }

    static Optional<Wallet> find(Handle h, long businessId, long id) {
        return h.createQuery("SELECT " + Wallet.COLUMNS + " FROM wallet WHERE business_id = :business_id AND id = :id")
                .bind("business_id", businessId).bind("id", id).map((rs, ctx) -> Wallet.map(rs)).findOne();
    }

    /** The currency of a wallet, for reading a request's amount; 404 when there is no such wallet. */
    public String currencyOf(long businessId, long walletId) {
        return find(businessId, walletId).map(Wallet::currency).orElseThrow(() -> noWallet(walletId));
    }

    /** Ledger entries of a wallet, oldest first, after {@code afterId}. */
    public List<WalletEntry> ledger(long businessId, long walletId, long afterId, int limit) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("SELECT " + WalletEntry.COLUMNS + """
                         FROM wallet_entry WHERE business_id = :business_id AND wallet_id = :wallet_id AND id > :after
                        ORDER BY id LIMIT :limit
                        """)
                .bind("business_id", businessId).bind("wallet_id", walletId).bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> WalletEntry.map(rs)).list());
    }

    public Idempotency.Answer credit(long businessId, IdempotencyKey key, long walletId, long amount, String reason) {
        return move(businessId, key, walletId, amount, reason, "credit", "");
    }

    /** A debit of what is available ({@code balance - held}); {@code 409 insufficient_funds} and nothing written if not. */
    public Idempotency.Answer debit(long businessId, IdempotencyKey key, long walletId, long amount, String reason) {
        return move(businessId, key, walletId, -amount, reason, "debit", AVAILABLE_COVERS);
    }

    private Idempotency.Answer move(long businessId, IdempotencyKey key, long walletId, long signed, String reason,
                                    String kind, String guard) {
        return BusinessScope.inBusiness(jdbi, businessId, tx -> Idempotency.once(tx, businessId, key, h -> {
            Wallet w = changeBalance(h, businessId, walletId, signed, guard);
            WalletEntry entry = entry(h, businessId, walletId, signed, kind, reason, null);
            Map<String, Object> body = w.json();
            body.put("entry", entry.json(w.currency()));
            return new Idempotency.Answer(200, Json.write(body));
        }));
    }

    /** Sets {@code amount} aside until {@code expiresIn} from now; it is released by itself if nothing resolves it. */
    public Idempotency.Answer hold(long businessId, Optional<IdempotencyKey> key, long walletId, long amount, Duration expiresIn) {
        return BusinessScope.inBusiness(jdbi, businessId, tx -> Idempotency.once(tx, businessId, key, h -> {
            Wallet w = h.createQuery("UPDATE wallet SET held = held + :amount, updated_at = now() "
                            + "WHERE business_id = :business_id AND id = :id AND balance - held >= :amount RETURNING "
                            + Wallet.COLUMNS)
                    .bind("amount", amount).bind("business_id", businessId).bind("id", walletId)
                    .map((rs, ctx) -> Wallet.map(rs)).findOne()
                    .orElseThrow(() -> refused(h, businessId, walletId, amount));
            WalletHold hold = h.createQuery("INSERT INTO wallet_hold (business_id, wallet_id, amount, expires_at) "
                            + "VALUES (:business_id, :wallet_id, :amount, now() + make_interval(secs => :seconds)) "
                            + "RETURNING " + WalletHold.COLUMNS)
                    .bind("business_id", businessId).bind("wallet_id", walletId).bind("amount", amount)
                    .bind("seconds", expiresIn.toSeconds()).map((rs, ctx) -> WalletHold.map(rs)).one();
            Jobs.enqueue(h, new NewEvent(SOURCE, Long.toString(businessId), "hold-expiry:" + hold.id(), HOLD_EXPIRY_EVENT,
                    Json.write(Map.of("business_id", businessId, "hold_id", hold.id()))), hold.expiresAt());
            return new Idempotency.Answer(201, Json.write(holdJson(hold, w)));
        }));
    }

    /** The wallet of a hold, for reading a capture's amount in its currency; 404 when there is no such hold. */
    public Wallet walletOfHold(long businessId, long holdId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("SELECT " + prefixed("w", Wallet.COLUMNS)
                        + " FROM wallet_hold x JOIN wallet w ON w.business_id = x.business_id AND w.id = x.wallet_id "
                        + "WHERE x.business_id = :business_id AND x.id = :id")
                .bind("business_id", businessId).bind("id", holdId).map((rs, ctx) -> Wallet.map(rs)).findOne())
                .orElseThrow(() -> InvalidRequestException.notFound("no hold has id " + holdId));
    }

    /**
     * Takes {@code amount} (the whole hold when empty) from the balance and releases the rest of the hold, once: a
     * hold no longer active is a {@code 409 hold_not_active} naming what became of it.
     */
    public Idempotency.Answer capture(long businessId, Optional<IdempotencyKey> key, long holdId, Optional<Long> amount) {
        return BusinessScope.inBusiness(jdbi, businessId, tx -> Idempotency.once(tx, businessId, key, h -> {
            WalletHold hold = resolve(h, businessId, holdId, "captured", amount);
            long taken = hold.captured();
            Wallet w = h.createQuery("UPDATE wallet SET balance = balance - :taken, held = held - :amount, "
                            + "updated_at = now() WHERE business_id = :business_id AND id = :id RETURNING " + Wallet.COLUMNS)
                    .bind("taken", taken).bind("amount", hold.amount()).bind("business_id", businessId)
                    .bind("id", hold.walletId()).map((rs, ctx) -> Wallet.map(rs)).one();
            entry(h, businessId, hold.walletId(), -taken, "capture", "hold " + holdId + " captured", holdId);
            return new Idempotency.Answer(200, Json.write(holdJson(hold, w)));
        }));
    }

    /** Releases the hold, once. */
    public Idempotency.Answer voidHold(long businessId, Optional<IdempotencyKey> key, long holdId) {
        return BusinessScope.inBusiness(jdbi, businessId, tx -> Idempotency.once(tx, businessId, key, h -> {
            WalletHold hold = resolve(h, businessId, holdId, "voided", Optional.empty());
            return new Idempotency.Answer(200, Json.write(holdJson(hold, release(h, hold))));
        }));
    }

    /** Releases the holds whose time is up, in the order of their wallets (no deadlock with another batch). */
    static void expire(Handle tx, long businessId, List<Long> holdIds) {
        tx.createQuery("SELECT id FROM wallet_hold WHERE business_id = :business_id AND id = ANY(:ids) "
                        + "ORDER BY wallet_id, id")
                .bind("business_id", businessId).bind("ids", holdIds.toArray(Long[]::new)).mapTo(Long.class).list()
                .forEach(holdId -> expire(tx, businessId, holdId));
    }

    /**
     * Releases a hold whose time is up, if nothing resolved it first. A hold the database's clock does not yet see as
     * expired (the worker's clock ran ahead) is an error, so that the job is tried again later.
     */
    private static void expire(Handle tx, long businessId, long holdId) {
        Optional<WalletHold> expired = tx.createQuery("UPDATE wallet_hold SET status = 'expired', resolved_at = now() "
                        + "WHERE business_id = :business_id AND id = :id AND status = 'active' AND expires_at <= now() "
                        + "RETURNING " + WalletHold.COLUMNS)
                .bind("business_id", businessId).bind("id", holdId).map((rs, ctx) -> WalletHold.map(rs)).findOne();
        if (expired.isPresent()) {
            release(tx, expired.get());
        } else if (tx.createQuery("SELECT status = 'active' FROM wallet_hold WHERE business_id = :business_id AND id = :id")
                .bind("business_id", businessId).bind("id", holdId).mapTo(Boolean.class).findOne().orElse(false)) {
            throw new IllegalStateException("hold " + holdId + " does not expire yet by the database's clock");
        }
    }

    private static Wallet release(Handle h, WalletHold hold) {
        return h.createQuery("UPDATE wallet SET held = held - :amount, updated_at = now() "
                        + "WHERE business_id = :business_id AND id = :id RETURNING " + Wallet.COLUMNS)
                .bind("amount", hold.amount()).bind("business_id", hold.businessId()).bind("id", hold.walletId())
                .map((rs, ctx) -> Wallet.map(rs)).one();
    }

    /** Moves an active, unexpired hold to {@code status}; explains why not otherwise. */
    private static WalletHold resolve(Handle h, long businessId, long holdId, String status, Optional<Long> amount) {
        return h.createQuery("UPDATE wallet_hold SET status = :status, resolved_at = now(), "
                        + "captured = CASE WHEN :status = 'captured' THEN coalesce(:amount, amount) END "
                        + "WHERE business_id = :business_id AND id = :id AND status = 'active' AND expires_at > now() "
                        + "AND coalesce(:amount, amount) <= amount RETURNING " + WalletHold.COLUMNS)
                .bind("status", status).bind("amount", amount.orElse(null)).bind("business_id", businessId)
                .bind("id", holdId).map((rs, ctx) -> WalletHold.map(rs)).findOne()
                .orElseThrow(() -> unresolvable(h, businessId, holdId, amount));
    }

    private static InvalidRequestException unresolvable(Handle h, long businessId, long holdId, Optional<Long> amount) {
        WalletHold hold = h.createQuery("SELECT " + WalletHold.COLUMNS + " FROM wallet_hold "
                        + "WHERE business_id = :business_id AND id = :id")
                .bind("business_id", businessId).bind("id", holdId).map((rs, ctx) -> WalletHold.map(rs)).findOne()
                .orElseThrow(() -> InvalidRequestException.notFound("no hold has id " + holdId));
        if (!hold.status().equals("active") || !hold.expiresAt().isAfter(Instant.now())) {
            return new InvalidRequestException("hold_not_active", 409, "hold " + holdId + " is "
                    + (hold.status().equals("active") ? "expired" : hold.status()) + "; a hold resolves once");
        }
        return new InvalidRequestException("invalid_amount", 422, "amount " + amount.orElse(0L) + " (minor units) is "
                + "more than the hold's " + hold.amount() + "; nothing was written");
    }

    /** Pays store order {@code orderId} from the wallet; {@code 409 insufficient_funds} if it does not cover it. */
    static void pay(Handle h, long businessId, long walletId, long amount, long orderId) {
        changeBalance(h, businessId, walletId, -amount, AVAILABLE_COVERS);
        entry(h, businessId, walletId, -amount, "payment", "store order " + orderId, null, orderId);
    }

    /** Gives back what store order {@code orderId} paid; the ledger's unique entry per order and kind makes it once. */
    static void refund(Handle h, long businessId, long walletId, long amount, long orderId) {
        changeBalance(h, businessId, walletId, amount, "");
        entry(h, businessId, walletId, amount, "refund", "store order " + orderId + " cancelled", null, orderId);
    }

    /**
     * Adds {@code signed} to the balance where {@code guard} holds; a 404 when there is no such wallet, a 409 when
     * the guard refused.
     */
    private static Wallet changeBalance(Handle h, long businessId, long walletId, long signed, String guard) {
        return h.createQuery("UPDATE wallet SET balance = balance + :signed, updated_at = now() "
                        + "WHERE business_id = :business_id AND id = :id" + guard + " RETURNING " + Wallet.COLUMNS)
                .bind("signed", signed).bind("amount", Math.abs(signed)).bind("business_id", businessId)
                .bind("id", walletId).map((rs, ctx) -> Wallet.map(rs)).findOne()
                .orElseThrow(() -> refused(h, businessId, walletId, Math.abs(signed)));
    }

    private static WalletEntry entry(Handle h, long businessId, long walletId, long amount, String kind, String reason,
                                     Long holdId) {
        return entry(h, businessId, walletId, amount, kind, reason, holdId, null);
    }

    private static WalletEntry entry(Handle h, long businessId, long walletId, long amount, String kind, String reason,
                                     Long holdId, Long orderId) {
        return h.createQuery("INSERT INTO wallet_entry (business_id, wallet_id, amount, kind, reason, hold_id, order_id) "
                        + "VALUES (:business_id, :wallet_id, :amount, :kind, :reason, :hold_id, :order_id) RETURNING "
                        + WalletEntry.COLUMNS)
                .bind("business_id", businessId).bind("wallet_id", walletId).bind("amount", amount).bind("kind", kind)
                .bind("reason", reason).bind("hold_id", holdId).bind("order_id", orderId)
                .map((rs, ctx) -> WalletEntry.map(rs)).one();
    }

    /** Why a guarded update changed nothing: no such wallet (404), or not enough available (409). */
    private static InvalidRequestException refused(Handle h, long businessId, long walletId, long amount) {
        Wallet w = find(h, businessId, walletId).orElseThrow(() -> noWallet(walletId));
        return new InvalidRequestException("insufficient_funds", 409, "wallet " + walletId + " has "
                + Money.format(w.available(), w.currency()) + " " + w.currency() + " available ("
                + Money.format(w.balance(), w.currency()) + " balance, " + Money.format(w.held(), w.currency())
                + " held), less than " + Money.format(amount, w.currency()) + "; nothing was written");
    }

    private static InvalidRequestException noWallet(long walletId) {
        return InvalidRequestException.notFound("no wallet has id " + walletId);
    }

    private static Map<String, Object> holdJson(WalletHold hold, Wallet w) {
        Map<String, Object> json = new LinkedHashMap<>(hold.json(w.currency()));
        json.put("wallet", w.json());
        return json;
    }

    private static String prefixed(String alias, String columns) {
        return String.join(", ", java.util.Arrays.stream(columns.split(",\\s*")).map(c -> alias + "." + c).toList());
    }
}
