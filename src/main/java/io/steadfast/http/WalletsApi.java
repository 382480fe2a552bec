package io.steadfast.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.commerce.Money;
import io.steadfast.commerce.Wallet;
import io.steadfast.commerce.WalletEntry;
import io.steadfast.commerce.Wallets;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.idempotency.Idempotency;
import io.steadfast.idempotency.IdempotencyKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Customers' wallets: open, credit, debit, hold, capture, void, and the ledger. */
final class WalletsApi {
    static final int MAX_ENTRIES = 1_000;
    static final long MAX_HOLD_SECONDS = Duration.ofDays(30).toSeconds();
    private static final String OPEN_USAGE = "send {\"customer_ref\": \"<your id for the customer>\", \"currency\": \"USD\"}";
    private static final String MOVE_USAGE = "send {\"amount\": \"12.50\", \"reason\": \"...\"}";
    private static final String HOLD_USAGE = "send {\"amount\": \"12.50\", \"expires_in_seconds\": 900}";

    private final Wallets wallets;

    WalletsApi(Wallets wallets) {
        this.wallets = wallets;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/wallets", this::open);
        routes.get("/v1/wallets", this::list);
        routes.get("/v1/wallets/{id}", this::one);
        routes.get("/v1/wallets/{id}/ledger", this::ledger);
        routes.post("/v1/wallets/{id}/credit", ctx -> move(ctx, true));
        routes.post("/v1/wallets/{id}/debit", ctx -> move(ctx, false));
        routes.post("/v1/wallets/{id}/holds", this::hold);
        routes.post("/v1/holds/{id}/capture", this::capture);
        routes.post("/v1/holds/{id}/void", this::voidHold);
    }

    private void open(Context ctx) {
        JsonBody body = JsonBody.of(ctx, OPEN_USAGE);
        String customer = body.optionalText("customer_ref").orElse("").trim();
        if (customer.isEmpty() || customer.length() > 255) {
            throw new InvalidRequestException("invalid_wallet", 422, "customer_ref must be 1-255 characters");
        }
        String currency = Money.currency("currency", body.optionalText("currency").orElse(null));
        Map.Entry<Wallet, Boolean> opened = wallets.open(Authentication.caller(ctx).businessId(), customer, currency);
        ctx.status(opened.getValue() ? 201 : 200).json(opened.getKey().json());
    }

    private void list(Context ctx) {
        int limit = Pages.limit(ctx, 100, MAX_ENTRIES);
        long after = Cursor.decode(ctx.queryParam("cursor")).map(Cursor::id).orElse(0L);
        List<Wallet> rows = wallets.list(Authentication.caller(ctx).businessId(), after, limit);
        Pages.write(ctx, rows, limit, Wallet::json, w -> new Cursor(w.createdAt(), w.id()));
    }

    private void one(Context ctx) {
        long id = MessagingApi.pathId(ctx, "id");
        ctx.json(wallets.find(Authentication.caller(ctx).businessId(), id).orElseThrow(
                () -> InvalidRequestException.notFound("no wallet has id " + id)).json());
    }

    private void ledger(Context ctx) {
        long businessId = Authentication.caller(ctx).businessId();
        long id = MessagingApi.pathId(ctx, "id");
        String currency = wallets.currencyOf(businessId, id);
        int limit = Pages.limit(ctx, 100, MAX_ENTRIES);
        long after = Cursor.decode(ctx.queryParam("cursor")).map(Cursor::id).orElse(0L);
        List<WalletEntry> rows = wallets.ledger(businessId, id, after, limit);
        Pages.write(ctx, rows, limit, e -> e.json(currency), e -> new Cursor(e.createdAt(), e.id()));
    }

    private void move(Context ctx, boolean credit) {
        long businessId = Authentication.caller(ctx).businessId();
        long id = MessagingApi.pathId(ctx, "id");
        IdempotencyKey key = key(ctx);
        JsonBody body = JsonBody.of(ctx, MOVE_USAGE);
        long amount = amount(body, wallets.currencyOf(businessId, id));
        String reason = body.optionalText("reason").orElse(null);
        answer(ctx, credit ? wallets.credit(businessId, key, id, amount, reason)
                : wallets.debit(businessId, key, id, amount, reason));
    }

    private void hold(Context ctx) {
        long businessId = Authentication.caller(ctx).businessId();
        long id = MessagingApi.pathId(ctx, "id");
        Optional<IdempotencyKey> key = optionalKey(ctx);
        JsonBody body = JsonBody.of(ctx, HOLD_USAGE);
        long amount = amount(body, wallets.currencyOf(businessId, id));
        JsonNode seconds = body.node().get("expires_in_seconds");
        if (seconds == null || !seconds.canConvertToExactIntegral() || seconds.asLong() < 1
                || seconds.asLong() > MAX_HOLD_SECONDS) {
            throw new InvalidRequestException("invalid_hold", 422, "expires_in_seconds must be a whole number of "
                    + "seconds, 1-" + MAX_HOLD_SECONDS + "; nothing was written");
        }
        answer(ctx, wallets.hold(businessId, key, id, amount, Duration.ofSeconds(seconds.asLong())));
    }

    private void capture(Context ctx) {
        long businessId = Authentication.caller(ctx).businessId();
        long id = MessagingApi.pathId(ctx, "id");
        Optional<IdempotencyKey> key = optionalKey(ctx);
        Optional<JsonBody> body = ctx.body().isBlank() ? Optional.empty()
                : Optional.of(JsonBody.of(ctx, "send {\"amount\": \"12.50\"}, or nothing to capture the whole hold"));
        Optional<Long> minor = body.filter(b -> b.has("amount"))
                .map(b -> amount(b, wallets.walletOfHold(businessId, id).currency()));
        answer(ctx, wallets.capture(businessId, key, id, minor));
    }

    private void voidHold(Context ctx) {
        long businessId = Authentication.caller(ctx).businessId();
        answer(ctx, wallets.voidHold(businessId, optionalKey(ctx), MessagingApi.pathId(ctx, "id")));
    }

    /** A positive amount in the wallet's currency; a {@code currency} given must be the wallet's. */
    private static long amount(JsonBody body, String currency) {
        body.optionalText("currency").filter(c -> !c.trim().equalsIgnoreCase(currency)).ifPresent(c -> {
            throw new InvalidRequestException("invalid_amount", 422, "currency must be the wallet's, " + currency
                    + ", got \"" + c + "\"; nothing was written");
        });
        return Money.positive("amount", body.node().get("amount"), currency);
    }

    /** Credits and debits require a key. */
    private static IdempotencyKey key(Context ctx) {
        return IdempotencyKey.of(ctx.header("Idempotency-Key"), ctx.method().name(), ctx.path(), ctx.bodyAsBytes());
    }

    /** Holds, captures and voids take one, and are idempotent with it; a hold resolves once either way. */
    private static Optional<IdempotencyKey> optionalKey(Context ctx) {
        return IdempotencyKey.optional(ctx.header("Idempotency-Key"), ctx.method().name(), ctx.path(), ctx.bodyAsBytes());
    }

    private static void answer(Context ctx, Idempotency.Answer answer) {
        ctx.status(answer.status()).contentType("application/json").result(answer.body());
    }
}
