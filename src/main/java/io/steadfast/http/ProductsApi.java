package io.steadfast.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.commerce.Impact;
import io.steadfast.commerce.Money;
import io.steadfast.commerce.Product;
import io.steadfast.commerce.ProductAdmin;
import io.steadfast.commerce.Products;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.idempotency.Idempotency;
import io.steadfast.idempotency.IdempotencyKey;
import io.steadfast.tenant.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's products: create (draft), activate, read, stock adjustments, and the admin lifecycle (disable, archive,
 * delete, restore, one at a time or in bulk) with its confirmation, dry runs and audit. Changes need the admin role.
 */
final class ProductsApi {
    static final long MAX_UNITS = 1_000_000_000L;
    private static final String CREATE_USAGE = "send {\"sku\": \"TSHIRT-M\", \"name\": \"T-shirt, M\", \"price\": "
            + "\"19.90\", \"currency\": \"EUR\", \"stock\": 25}";
    private static final String STOCK_USAGE = "send {\"delta\": 10, \"reason\": \"delivery\"} (negative to take away)";
    private static final String BULK_USAGE = "send {\"action\": \"disable\", \"ids\": [1, 2, 3]} (action: disable, "
            + "archive, delete or restore; \"all_or_nothing\": false to apply what can be)";
    static final int MAX_BULK = 1_000;

    private final Products products;
    private final ProductAdmin admin;

    ProductsApi(Products products, ProductAdmin admin) {
        this.products = products;
        this.admin = admin;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/store/products", this::create);
        routes.get("/v1/store/products", this::list);
        routes.get("/v1/store/products/{id}", this::one);
        routes.post("/v1/store/products/{id}/activate", this::activate);
        routes.post("/v1/store/products/{id}/stock", this::stock);
        routes.post("/v1/store/products/bulk", this::bulk);
        routes.post("/v1/store/products/{id}/disable", ctx -> lifecycle(ctx, ProductAdmin.Action.DISABLE));
        routes.post("/v1/store/products/{id}/archive", ctx -> lifecycle(ctx, ProductAdmin.Action.ARCHIVE));
        routes.post("/v1/store/products/{id}/restore", ctx -> lifecycle(ctx, ProductAdmin.Action.RESTORE));
        routes.delete("/v1/store/products/{id}", ctx -> lifecycle(ctx, ProductAdmin.Action.DELETE));
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
        ctx.status(201).json(products.create(businessId, actor(ctx), sku, name, price, currency, units).json());
    }

    private void list(Context ctx) {
        int limit = Pages.limit(ctx, 100, MAX_BULK);
        long after = Cursor.decode(ctx.queryParam("cursor")).map(Cursor::id).orElse(0L);
        List<Product> rows = products.list(Authentication.caller(ctx).businessId(), after, limit);
        Pages.write(ctx, rows, limit, Product::json, p -> new Cursor(p.createdAt(), p.id()));
    }

    private void one(Context ctx) {
        long id = MessagingApi.pathId(ctx, "id");
        ctx.json(products.find(Authentication.caller(ctx).businessId(), id)
                .orElseThrow(() -> InvalidRequestException.notFound("no product has id " + id)).json());
    }

    private void activate(Context ctx) {
        long id = MessagingApi.pathId(ctx, "id");
        ctx.json(products.activate(Authentication.admin(ctx).businessId(), actor(ctx), id).json());
    }

    private void stock(Context ctx) {
        long businessId = Authentication.admin(ctx).businessId();
        long id = MessagingApi.pathId(ctx, "id");
        IdempotencyKey key = IdempotencyKey.of(ctx.header("Idempotency-Key"), "POST", ctx.path(), ctx.bodyAsBytes());
        JsonBody body = JsonBody.of(ctx, STOCK_USAGE);
        long delta = units("delta", body.node().get("delta"), true);
        Idempotency.Answer answer = products.adjust(businessId, actor(ctx), key, id, delta,
                body.optionalText("reason").orElse(null));
        ctx.status(answer.status()).contentType("application/json").result(answer.body());
    }

    /**
     * Disable, archive or delete (confirmation needed) or restore one product. Without {@code ?confirm=true} a
     * destructive action answers {@code 409 confirmation_required} with its impact; {@code ?dry_run=true} answers what
     * it would do. Neither changes anything.
     */
    private void lifecycle(Context ctx, ProductAdmin.Action action) {
        long businessId = Authentication.admin(ctx).businessId();
        long id = MessagingApi.pathId(ctx, "id");
        if (flag(ctx, "dry_run")) {
            ProductAdmin.Outcome o = admin.apply(businessId, actor(ctx), action, List.of(id), true, true).getFirst();
            if (o.outcome().equals("not_found")) {
                throw InvalidRequestException.notFound(o.reason());
            }
            Map<String, Object> json = new LinkedHashMap<>(o.json());
            json.put("dry_run", true);
            ctx.json(json);
        } else if (action.destructive() && !flag(ctx, "confirm")) {
            throw confirmationRequired(action, "product " + id, admin.impact(businessId, id));
        } else {
            ctx.json(admin.applyOne(businessId, actor(ctx), action, id).json());
        }
    }

    /**
     * One action on many products, in one transaction: all or nothing unless {@code "all_or_nothing": false}. Each item
     * reports its outcome (done, unchanged, refused with the reason, not found, not applied).
     */
    private void bulk(Context ctx) {
        long businessId = Authentication.admin(ctx).businessId();
        JsonBody body = JsonBody.of(ctx, BULK_USAGE);
        ProductAdmin.Action action = ProductAdmin.Action.parse(body.optionalText("action").orElse(""))
                .orElseThrow(() -> new InvalidRequestException("invalid_bulk", 422, "action must be disable, archive, "
                        + "delete or restore; nothing was changed"));
        JsonNode idsNode = body.node().get("ids");
        if (idsNode == null || !idsNode.isArray() || idsNode.isEmpty() || idsNode.size() > MAX_BULK) {
            throw new InvalidRequestException("invalid_bulk", 422, "ids must be a list of 1-" + MAX_BULK
                    + " product ids; nothing was changed");
        }
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < idsNode.size(); i++) {
            JsonNode id = idsNode.get(i);
            if (!id.canConvertToExactIntegral() || id.isTextual() || id.asLong() < 1) {
                throw new InvalidRequestException("invalid_bulk", 422, "ids[" + i + "] must be a product id, got " + id
                        + "; nothing was changed");
            }
            if (ids.contains(id.asLong())) {
                throw new InvalidRequestException("invalid_bulk", 422, "ids[" + i + "] repeats product " + id.asLong()
                        + "; nothing was changed");
            }
            ids.add(id.asLong());
        }
        JsonNode atomic = body.node().get("all_or_nothing");
        boolean allOrNothing = atomic == null || !atomic.isBoolean() || atomic.asBoolean();
        boolean dryRun = flag(ctx, "dry_run");
        if (!dryRun && !flag(ctx, "confirm")) {
            Impact total = admin.apply(businessId, actor(ctx), action, ids, true, allOrNothing).stream()
                    .map(ProductAdmin.Outcome::impact).reduce(Impact::plus).orElseThrow();
            throw confirmationRequired(action, ids.size() + " products", total);
        }
        List<ProductAdmin.Outcome> outcomes = admin.apply(businessId, actor(ctx), action, ids, dryRun, allOrNothing);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("action", action.id());
        if (dryRun) {
            json.put("dry_run", true);
        }
        json.put("applied", !dryRun && outcomes.stream().noneMatch(o -> o.outcome().equals("not_applied")));
        json.put("impact", outcomes.stream().map(ProductAdmin.Outcome::impact).reduce(Impact::plus).orElseThrow().json());
        json.put("results", outcomes.stream().map(ProductAdmin.Outcome::json).toList());
        boolean refusedWhole = !dryRun && allOrNothing && outcomes.stream().anyMatch(ProductAdmin.Outcome::refused);
        if (refusedWhole) {
            json.put("error", "bulk_refused");
            json.put("message", "some products refused the " + action.id() + " (see results), so none was changed "
                    + "(all or nothing); send \"all_or_nothing\": false to apply it where it can be");
        }
        ctx.status(refusedWhole ? 409 : 200).json(json);
    }

    private static InvalidRequestException confirmationRequired(ProductAdmin.Action action, String what, Impact impact) {
        return new InvalidRequestException("confirmation_required", 409, action.id() + " of " + what + " touches "
                + impact.openOrders() + " open orders, " + impact.pendingShipments() + " pending shipments, "
                + impact.activeReservations() + " reserved units in " + impact.carts() + " carts; send it again with "
                + "?confirm=true to do it, or ?dry_run=true to see what it would do; nothing was changed")
                .with("impact", impact.json());
    }

    private static boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (!value.equals("true")) {
            throw InvalidRequestException.badRequest(name + " must be true or false, got \"" + value + "\"");
        }
        return true;
    }

    /** Who an audit row names: the credential of the request (operator, key:<id>, user:<id>). */
    private static String actor(Context ctx) {
        Caller caller = Authentication.caller(ctx);
        return caller.credential();
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
