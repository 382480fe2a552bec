package io.steadfast.simulator;

import io.javalin.Javalin;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the Shopify Admin API's orders endpoint, so reconciliation can be proven without Shopify: the
 * orders it is given, by updated_at, a few per page with {@code Link: rel="next"}, and 503s first when told to.
 */
public final class ShopifyAdminSimulator implements AutoCloseable {
    public static final String TOKEN = "shpat_test_token";
    private final List<String> orders = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToServe = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final int pageSize;
    private final Javalin app;

    public ShopifyAdminSimulator(int pageSize) {
        this.pageSize = pageSize;
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.routes.get("/admin/api/{version}/orders.json", this::orders);
        }).start("127.0.0.1", 0);
    }

    private void orders(io.javalin.http.Context ctx) {
        {
            requests.incrementAndGet();
            if (!TOKEN.equals(ctx.header("X-Shopify-Access-Token"))) {
                ctx.status(401).result("{\"errors\":\"[API] Invalid API key or access token\"}");
                return;
            }
            if (failuresToServe.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ctx.status(503).result("{\"errors\":\"unavailable\"}");
                return;
            }
            Instant since = Instant.parse(ctx.queryParam("updated_at_min"));
            int offset = ctx.queryParam("page_info") == null ? 0 : Integer.parseInt(ctx.queryParam("page_info"));
            List<String> matching = new ArrayList<>(orders.stream()
                    .filter(o -> !updatedAt(o).isBefore(since)).sorted(Comparator.comparing(ShopifyAdminSimulator::updatedAt))
                    .toList());
            List<String> page = matching.subList(Math.min(offset, matching.size()), Math.min(offset + pageSize, matching.size()));
            if (offset + pageSize < matching.size()) {
                ctx.header("Link", "<" + baseUrl() + "/admin/api/" + ctx.pathParam("version") + "/orders.json?limit="
                        + pageSize + "&updated_at_min=" + since + "&page_info=" + (offset + pageSize) + ">; rel=\"next\"");
            }
            ctx.contentType("application/json").result("{\"orders\":[" + String.join(",", page) + "]}");
        }
    }

    public void add(byte[] order) {
        orders.add(new String(order, StandardCharsets.UTF_8));
    }

    public void failNext(int requests) {
        failuresToServe.set(requests);
    }

    public int requests() {
        return requests.get();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    private static Instant updatedAt(String order) {
        int at = order.indexOf("\"updated_at\":\"") + 14;
        return OffsetDateTime.parse(order.substring(at, order.indexOf('"', at))).toInstant();
    }

    @Override
    public void close() {
        app.stop();
    }
}
