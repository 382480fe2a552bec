package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.db.BusinessScope;
import io.steadfast.db.Database;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.orders.OrderQueries;
import io.steadfast.orders.OrderQueries.OrderView;
import io.steadfast.ratelimit.RateLimiter;
import io.steadfast.tenant.Caller;
import java.util.Map;
import java.util.Optional;

/**
 * Endpoints for the benchmarks only ({@code steadfast load}): a trivial one, the HTTP ceiling; and
 * {@code GET /v1/orders/{id}}'s work with each of its layers switched on or off, to price each layer.
 * <ul>
 * <li>{@code Authorization} present: the caller is authenticated as on /v1; absent: {@code ?business=} names it;</li>
 * <li>{@code ?rls=off}: the query runs as the owner, in autocommit, with no business set (no policy, no transaction);
 * {@code ?rls=tx}: as the owner, in a transaction that sets the business (the statements of RLS, not its policy);</li>
 * <li>{@code ?limit=on}: a request is taken from the caller's rate-limit bucket.</li>
 * </ul>
 */
final class BenchRoutes implements AutoCloseable {
    private final Authentication auth;
    private final RateLimiter limiter;
    private final OrderQueries orders;
    private final Database owner;

    BenchRoutes(Database database, Authentication auth, RateLimiter limiter) {
        this.auth = auth;
        this.limiter = limiter;
        this.orders = new OrderQueries(database.jdbi());
        this.owner = Database.connect(database.url(), 16, "steadfast-bench-owner");
    }

    void register(RoutesConfig routes) {
        routes.post("/bench/noop", ctx -> {
            ctx.bodyAsBytes();
            ctx.json(Map.of("accepted", 0, "duplicates", 0));
        });
        routes.get("/bench/orders/{id}", this::order);
    }

    private void order(Context ctx) {
        long id = MessagingApi.pathId(ctx, "id");
        Optional<Caller> caller = Optional.ofNullable(ctx.header("Authorization")).map(auth::authenticate);
        long business = caller.map(Caller::businessId)
                .orElseGet(() -> Long.parseLong(String.valueOf(ctx.queryParam("business"))));
        if ("on".equals(ctx.queryParam("limit"))) {
            Caller c = caller.orElseThrow(() -> InvalidRequestException.badRequest("limit=on needs a credential"));
            limiter.take(c.businessId(), c.credential());
        }
        Optional<OrderView> order = switch (String.valueOf(ctx.queryParam("rls"))) {
            case "off" -> owner.jdbi().withHandle(h -> OrderQueries.find(h, business, id));
            case "tx" -> BusinessScope.inBusiness(owner.jdbi(), business, h -> OrderQueries.find(h, business, id));
            default -> orders.find(business, id);
        };
        ctx.json(OrdersApi.orderJson(order.orElseThrow(() -> InvalidRequestException.notFound("no order " + id))));
    }

    @Override
    public void close() {
        owner.close();
    }
}
