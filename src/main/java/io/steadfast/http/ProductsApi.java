package io.steadfast.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.commerce.Money;
import io.steadfast.commerce.Products;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.idempotency.Idempotency;
import io.steadfast.idempotency.IdempotencyKey;

/** The store's products: create (draft), activate, read, and stock adjustments. Changes need the admin role. */
final class ProductsApi {
    static final long MAX_UNITS = 1_000_000_000L;
    private static final String CREATE_USAGE = "send {\"sku\": \"TSHIRT-M\", \"name\": \"T-shirt, M\", \"price\": "
            + "\"19.90\", \"currency\": \"EUR\", \"stock\": 25}";
    private static final String STOCK_USAGE = "send {\"delta\": 10, \"reason\": \"delivery\"} (negative to take away)";

    private final Products products;

    ProductsApi(Products products) {
        this.products = products;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/store/products", this::create);
        routes.get("/v1/store/products/{id}", this::one);
        routes.post("/v1/store/products/{id}/activate", this::activate);
        routes.post("/v1/store/products/{id}/stock", this::stock);
    }

    private void create(Context ctx) {
        long businessId = Authentication.admin(ctx).businessId();
        JsonBody body = JsonBody.of(ctx, CREATE_USAGE);
        String sku = body.optionalText("sku").orElse("").trim();
        if (!sku.matches("[\\x21-\\x7E]{1,100}")) {
            throw invalid("sku", "must be 1-100 printable characters without spaces, got \"" + sku + "\"");
        }
        String name = body.optionalText("name").orElse("").trim();
        if (name.isEmpty() || name.length() > 500) {
            throw invalid("name", "must be 1-500 characters");
        }
        String currency = Money.currency("currency", body.optionalText("currency").orElse(null));
        long price = Money.positive("price", body.node().get("price"), currency);
        JsonNode stock = body.node().get("stock");
        long units = stock == null || stock.isNull() ? 0 : units("stock", stock, false);
        ctx.status(201).json(products.create(businessId, sku, name, price, currency, units).json());
    }

    private void one(Context ctx) {
        long id = MessagingApi.pathId(ctx, "id");
        ctx.json(products.find(Authentication.caller(ctx).businessId(), id)
                .orElseThrow(() -> InvalidRequestException.notFound("no product has id " + id)).json());
    }

    private void activate(Context ctx) {
        long id = MessagingApi.pathId(ctx, "id");
        ctx.json(products.activate(Authentication.admin(ctx).businessId(), id).json());
    }

    private void stock(Context ctx) {
        long businessId = Authentication.admin(ctx).businessId();
        long id = MessagingApi.pathId(ctx, "id");
        IdempotencyKey key = IdempotencyKey.of(ctx.header("Idempotency-Key"), "POST", ctx.path(), ctx.bodyAsBytes());
        JsonBody body = JsonBody.of(ctx, STOCK_USAGE);
        long delta = units("delta", body.node().get("delta"), true);
        Idempotency.Answer answer = products.adjust(businessId, key, id, delta, body.optionalText("reason").orElse(null));
        ctx.status(answer.status()).contentType("application/json").result(answer.body());
    }

    /** A whole number of units: not negative, or (for a change) not zero. */
    private static long units(String field, JsonNode value, boolean change) {
        if (value == null || !value.canConvertToExactIntegral() || value.isTextual()) {
            throw invalid(field, "must be a whole number of units, got " + value);
        }
        long n = value.asLong();
        if (change ? n == 0 : n < 0) {
            throw invalid(field, change ? "must not be zero" : "must not be negative, got " + n);
        }
        if (Math.abs(n) > MAX_UNITS) {
            throw invalid(field, "is over " + MAX_UNITS + " units");
        }
        return n;
    }

    private static InvalidRequestException invalid(String field, String problem) {
        return new InvalidRequestException("invalid_product", 422, field + " " + problem + "; nothing was written");
    }
}
