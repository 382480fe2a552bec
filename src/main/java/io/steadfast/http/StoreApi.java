package io.steadfast.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.commerce.AuditEntry;
import io.steadfast.commerce.Carts;
import io.steadfast.commerce.OrderLine;
import io.steadfast.commerce.Orders;
import io.steadfast.commerce.StoreOrder;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.idempotency.Idempotency;
import io.steadfast.idempotency.IdempotencyKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** The store's carts and orders, and the audit of admin actions. */
final class StoreApi {
    static final int MAX_LINES = 100;
    static final long MAX_CART_SECONDS = Duration.ofDays(7).toSeconds();
    static final long DEFAULT_CART_SECONDS = Duration.ofMinutes(15).toSeconds();
    static final int MAX_AUDIT = 1_000;
    static final int MAX_ORDERS = 1_000;
    private static final String CART_USAGE = "send {\"items\": [{\"product_id\": 1, \"quantity\": 2}], \"ttl_seconds\": 900}";
    private static final String ORDER_USAGE = "send {\"items\": [{\"product_id\": 1, \"quantity\": 2}]} or "
            + "{\"cart_id\": 7}, optionally with \"wallet_id\", \"shipping_address\" {...} and \"email\"";

    private final Jdbi jdbi;
    private final Carts carts;
    private final Orders orders;

    StoreApi(Jdbi jdbi, Carts carts, Orders orders) {
        this.jdbi = jdbi;
        this.carts = carts;
        this.orders = orders;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/store/carts", this::reserve);
        routes.get("/v1/store/carts/{id}", this::cart);
        routes.post("/v1/store/orders", this::place);
        routes.get("/v1/store/orders", this::orders);
        routes.get("/v1/store/orders/{id}", this::order);
        routes.post("/v1/store/orders/{id}/ship", ctx -> ctx.json(orders.ship(business(ctx), id(ctx)).json()));
        routes.post("/v1/store/orders/{id}/deliver", ctx -> ctx.json(orders.deliver(business(ctx), id(ctx)).json()));
        routes.post("/v1/store/orders/{id}/cancel", ctx -> ctx.json(orders.cancel(business(ctx), id(ctx)).json()));
        routes.get("/v1/audit", this::audit);
    }

    private void reserve(Context ctx) {
        JsonBody body = JsonBody.of(ctx, CART_USAGE);
        List<OrderLine> lines = lines(body.node().get("items"));
        JsonNode ttl = body.node().get("ttl_seconds");
        if (ttl != null && !ttl.isNull() && (!ttl.canConvertToExactIntegral() || ttl.isTextual() || ttl.asLong() < 1
                || ttl.asLong() > MAX_CART_SECONDS)) {
            throw new InvalidRequestException("invalid_cart", 422, "ttl_seconds must be a whole number of seconds, 1-"
                    + MAX_CART_SECONDS + ", got " + ttl + "; nothing was reserved");
        }
        long seconds = ttl == null || ttl.isNull() ? DEFAULT_CART_SECONDS : ttl.asLong();
        ctx.status(201).json(carts.reserve(business(ctx), lines, Duration.ofSeconds(seconds)).json());
    }

    private void cart(Context ctx) {
        long id = id(ctx);
        ctx.json(carts.find(business(ctx), id).orElseThrow(() -> InvalidRequestException.notFound("no cart has id " + id))
                .json());
    }

    private void place(Context ctx) {
        IdempotencyKey key = IdempotencyKey.of(ctx.header("Idempotency-Key"), "POST", ctx.path(), ctx.bodyAsBytes());
        JsonBody body = JsonBody.of(ctx, ORDER_USAGE);
        JsonNode cart = body.node().get("cart_id");
        JsonNode items = body.node().get("items");
        boolean hasCart = cart != null && !cart.isNull();
        if (hasCart == (items != null && !items.isNull())) {
            throw invalidOrder("send either cart_id or items");
        }
        Optional<JsonNode> address = Optional.ofNullable(body.node().get("shipping_address")).filter(a -> !a.isNull());
        if (address.isPresent() && (!address.get().isObject() || address.get().toString().length() > 4_096)) {
            throw invalidOrder("shipping_address must be a JSON object of at most 4096 bytes");
        }
        Optional<String> email = body.optionalText("email").map(String::trim);
        if (email.isPresent() && !email.get().matches("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}")) {
            throw invalidOrder("email must be an email address, got \"" + email.get() + "\"");
        }
        Orders.Request request = new Orders.Request(hasCart ? Optional.of(positiveId("cart_id", cart)) : Optional.empty(),
                hasCart ? List.of() : lines(items), optionalId(body.node().get("wallet_id")), address, email);
        Idempotency.Answer answer = orders.place(business(ctx), key, request);
        ctx.status(answer.status()).contentType("application/json").result(answer.body());
    }

    /** Oldest first, or with {@code ?order=newest} newest first; each page after the last one's cursor. */
    private void orders(Context ctx) {
        int limit = Pages.limit(ctx, 100, MAX_ORDERS);
        String order = Optional.ofNullable(ctx.queryParam("order")).orElse("oldest");
        if (!order.equals("oldest") && !order.equals("newest")) {
            throw InvalidRequestException.badRequest("order must be oldest or newest, got \"" + order + "\"");
        }
        Optional<Long> from = Cursor.decode(ctx.queryParam("cursor")).map(Cursor::id);
        List<StoreOrder> rows = order.equals("newest") ? orders.newest(business(ctx), from.orElse(Long.MAX_VALUE), limit)
                : orders.list(business(ctx), from.orElse(0L), limit);
        Pages.write(ctx, rows, limit, StoreOrder::json, o -> new Cursor(o.createdAt(), o.id()));
    }

    private void order(Context ctx) {
        long id = id(ctx);
        ctx.json(orders.find(business(ctx), id).orElseThrow(() -> InvalidRequestException.notFound("no order has id "
                + id)).json());
    }

    private void audit(Context ctx) {
        long businessId = Authentication.admin(ctx).businessId();
        String entity = Optional.ofNullable(ctx.queryParam("entity")).orElse("product");
        if (!entity.equals("product")) {
            throw InvalidRequestException.badRequest("entity must be product (the admin actions audited), got \""
                    + entity + "\"");
        }
        long entityId = ctx.queryParam("id") == null ? 0 : parseId("id", ctx.queryParam("id"));
        int limit = Pages.limit(ctx, 100, MAX_AUDIT);
        long after = Cursor.decode(ctx.queryParam("cursor")).map(Cursor::id).orElse(0L);
        Pages.write(ctx, AuditEntry.of(jdbi, businessId, entity, entityId, after, limit), limit, AuditEntry::json,
                e -> new Cursor(e.at(), e.id()));
    }

    /** The lines of a cart or an order: 1-100, each a product once with a positive whole quantity. */
    static List<OrderLine> lines(JsonNode items) {
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_LINES) {
            throw invalidOrder("items must be a list of 1-" + MAX_LINES + " lines such as {\"product_id\": 1, "
                    + "\"quantity\": 2}");
        }
        List<OrderLine> lines = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String name = "items[" + i + "]";
            if (!item.isObject()) {
                throw invalidLine(i, name + " must be an object such as {\"product_id\": 1, \"quantity\": 2}");
            }
            JsonNode product = item.get("product_id");
            if (product == null || !product.canConvertToExactIntegral() || product.isTextual() || product.asLong() < 1) {
                throw invalidLine(i, name + ".product_id must be a product id, got " + product);
            }
            JsonNode quantity = item.get("quantity");
            if (quantity == null || !quantity.canConvertToExactIntegral() || quantity.isTextual() || quantity.asLong() < 1
                    || quantity.asLong() > ProductsApi.MAX_UNITS) {
                throw invalidLine(i, name + ".quantity must be a whole number of units, 1-" + ProductsApi.MAX_UNITS
                        + ", got " + quantity);
            }
            if (!seen.add(product.asLong())) {
                throw invalidLine(i, name + " repeats product " + product.asLong() + "; give each product once");
            }
            lines.add(new OrderLine(i, product.asLong(), quantity.asLong()));
        }
        return lines;
    }

    private static Optional<Long> optionalId(JsonNode value) {
        return value == null || value.isNull() ? Optional.empty() : Optional.of(positiveId("wallet_id", value));
    }

    private static long positiveId(String field, JsonNode value) {
        if (!value.canConvertToExactIntegral() || value.isTextual() || value.asLong() < 1) {
            throw invalidOrder(field + " must be an id, got " + value);
        }
        return value.asLong();
    }

    private static long parseId(String name, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw InvalidRequestException.badRequest(name + " must be a positive whole number, got \"" + raw + "\"");
    }

    private static InvalidRequestException invalidOrder(String problem) {
        return new InvalidRequestException("invalid_order", 422, problem + "; nothing was written");
    }

    private static InvalidRequestException invalidLine(int index, String problem) {
        return new InvalidRequestException("invalid_line", 422, problem + "; nothing was written").with("line", index);
    }

    private static long business(Context ctx) {
        return Authentication.caller(ctx).businessId();
    }

    private static long id(Context ctx) {
        return MessagingApi.pathId(ctx, "id");
    }
}
