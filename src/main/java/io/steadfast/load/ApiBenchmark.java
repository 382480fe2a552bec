package io.steadfast.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.config.Config;
import io.steadfast.db.Database;
import io.steadfast.simulator.Api;
import io.steadfast.terminal.Progress;
import io.steadfast.terminal.Table;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What each layer of an API request costs: one order read by id ({@code GET /v1/orders/{id}}'s work) with no
 * credential, no row-level security and no rate limit, then with each layer added. Each round runs the bare request
 * first and every variant after it; a variant's figure is its throughput over that round's bare one, and the table
 * shows the median over the rounds.
 */
final class ApiBenchmark {
    private static final int ORDERS = 1_000;

    private final LoadCommand.Rounds options;
    private final PrintStream out = System.out;

    ApiBenchmark(LoadCommand.Rounds options) {
        this.options = options;
    }

    private record Variant(String name, String layers, LongFunction<LoadClient.Call> calls) {
    }

    void run() {
        // a limit no phase reaches, so that the limiter's cost is measured, not its refusals
        try (OwnNode own = OwnNode.start(out, Map.of(Config.API_RATE_LIMIT, "100000000/s"))) {
            Api operator = new Api(own.base(), own.node().config().apiToken());
            JsonNode created = operator.post("/v1/businesses", Map.of("name", "bench"));
            long business = created.path("id").asLong();
            String key = created.path("api_key").asText();
            String jwt = signIn(operator.as(key));
            try (Database owner = Database.connect(own.node().database().url(), 2, "steadfast-load-seed")) {
                seed(owner, business);
            }
            List<Variant> variants = List.of(
                    new Variant("bare: no credential, no RLS, no limit", "", n -> bare(business, n, "rls=off")),
                    new Variant("+ transaction setting the business", "RLS statements", n -> bare(business, n, "rls=tx")),
                    new Variant("+ row-level security", "RLS", n -> bare(business, n, "rls=on")),
                    new Variant("+ RLS + API key", "RLS, key", n -> as(key, n, "rls=on")),
                    new Variant("+ RLS + access token (JWT)", "RLS, JWT", n -> as(jwt, n, "rls=on")),
                    new Variant("+ RLS + API key + rate limit", "RLS, key, limit", n -> as(key, n, "rls=on&limit=on")),
                    new Variant("GET /v1/orders/{id} with an API key", "all", n -> new LoadClient.Call(
                            "/v1/orders/" + (1 + n % ORDERS), null, "Authorization", "Bearer " + key)));
            try (LoadClient client = new LoadClient(own.base(), options.connections)) {
                out.printf("  %s%n", Warmup.run(client, variants.getLast().calls(), "warm-up: API reads"));
                measure(client, variants);
            }
        }
    }

    private void measure(LoadClient client, List<Variant> variants) {
        Map<Variant, List<Double>> ratios = new LinkedHashMap<>();
        Map<Variant, List<LoadClient.Outcome>> outcomes = new LinkedHashMap<>();
        variants.forEach(v -> {
            ratios.put(v, new ArrayList<>());
            outcomes.put(v, new ArrayList<>());
        });
        Duration phase = Duration.ofSeconds(options.seconds);
        for (int round = 1; round <= options.rounds; round++) {
            double bare = 0;
            for (Variant v : variants) {
                LoadClient.Outcome o = client.closedLoop(phase, v.calls(),
                        new Progress(System.err, "round " + round + ": " + v.name(), "req"));
                if (v == variants.getFirst()) {
                    bare = o.perSecond();
                }
                ratios.get(v).add(o.perSecond() / bare);
                outcomes.get(v).add(o);
            }
        }
        Table table = new Table(2, "request", "layers", "req/s", "p50 ms", "p99 ms", "errors", "throughput vs bare",
                "machine µs/request");
        for (Variant v : variants) {
            List<LoadClient.Outcome> os = outcomes.get(v);
            LoadClient.Outcome last = os.getLast();
            double ratio = median(ratios.get(v));
            double perSecond = os.stream().mapToDouble(LoadClient.Outcome::perSecond).sorted().toArray()[os.size() / 2];
            table.row(v.name(), v.layers(), String.format("%,.0f", perSecond),
                    String.format("%.2f", last.latencyMicros().getValueAtPercentile(50) / 1000.0),
                    String.format("%.2f", last.latencyMicros().getValueAtPercentile(99) / 1000.0),
                    String.format("%,d", os.stream().mapToLong(LoadClient.Outcome::failed).sum()),
                    String.format("%.2fx", ratio), String.format("%.0f", 1e6 / perSecond));
        }
        out.println();
        out.print(table.render());
        out.printf("%n  %d rounds of %d s per request kind, %d connections; throughput is the median of each round's"
                + " ratio to its bare phase; p50/p99 from the last round. The connections keep every core busy, so"
                + " 1/(req/s) is what one request costs the whole machine (HTTP, Java and PostgreSQL).%n",
                options.rounds, options.seconds, options.connections);
    }

    private static LoadClient.Call bare(long business, long n, String layers) {
        return new LoadClient.Call("/bench/orders/" + (1 + n % ORDERS) + "?business=" + business + "&" + layers, null);
    }

    private static LoadClient.Call as(String credential, long n, String layers) {
        return new LoadClient.Call("/bench/orders/" + (1 + n % ORDERS) + "?" + layers, null,
                "Authorization", "Bearer " + credential);
    }

    private static String signIn(Api admin) {
        Map<String, String> user = Map.of("email", "bench@example.com", "password", "bench password 0123",
                "role", "agent");
        admin.post("/v1/users", user);
        return admin.post("/v1/auth/token", Map.of("email", user.get("email"), "password", user.get("password")))
                .path("access_token").asText();
    }

    /** {@value #ORDERS} orders of a business, ids 1 to {@value #ORDERS}. */
    private static void seed(Database owner, long business) {
        owner.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO shop_order (business_id, shopify_order_id, shop_domain, currency, total_price, line_items,
                                        placed_at, last_external_updated_at, version, last_inbox_event_id)
                SELECT :business, i, 'bench.myshopify.com', 'USD', i, '[{"title": "item", "quantity": 1}]', now(), now(), 1, i
                FROM generate_series(1, :orders) i
                """).bind("business", business).bind("orders", ORDERS).execute());
        owner.jdbi().useHandle(h -> h.execute("ANALYZE shop_order"));
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
