package io.steadfast.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.simulator.Api;
import io.steadfast.simulator.OrderVersions;
import io.steadfast.simulator.Sendable;
import io.steadfast.simulator.ShopifyDelivery;
import io.steadfast.terminal.Progress;
import io.steadfast.terminal.Table;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * The order-sync benchmark, in two parts.
 *
 * <p>Bursts: {@code updates} conflicting updates of one order with shuffled updated_at, all sent at once, timed
 * until every one is acknowledged and until every one is applied or discarded (its audit row exists). Repeated on
 * fresh orders over kept-alive connections, one per request in flight (the load generator's minimal client);
 * before each run the same connections time the same number of requests to the trivial endpoint.
 *
 * <p>Stream: conflicting updates of {@code orders} orders sent back to back from {@code connections} connections
 * for {@code seconds}, timed until the inbox is drained, then checked: one audit row per acknowledged update,
 * none failed.
 */
final class OrdersBenchmark {
    /** The seed plan's bar: 50 requests/s, so 100 updates in 2 s is "excellent". */
    static final double SEED_PLAN_PER_SECOND = 50.0;
    static final int WARM_UP_RUNS = 3;

    private final LoadCommand.Orders options;
    private final PrintStream out = System.out;
    private ConnectionPool pool;

    OrdersBenchmark(LoadCommand.Orders options) {
        this.options = options;
    }

    record RunTimes(double ackMs, double appliedMs) {
    }

    void run() throws Exception {
        OwnNode own = options.url.value == null ? OwnNode.start(out) : null;
        try {
            URI base = own != null ? own.base() : URI.create(options.url.value);
            String shopifySecret = own != null ? own.node().config().shopifySecret() : required(options.shopifySecret.value, "--shopify-secret");
            String token = own != null ? own.node().config().apiToken() : required(options.apiToken.value, "--api-token");
            Api api = new Api(base, token);
            String shop = "bench-" + System.currentTimeMillis() + ".myshopify.com";
            api.post("/v1/channels", java.util.Map.of("shop_domain", shop));
            Sendable.Secrets secrets = new Sendable.Secrets(null, shopifySecret);
            long firstOrder = System.currentTimeMillis() * 1_000;
            Random random = new Random(options.runs);
            pool = new ConnectionPool(base, options.updates);
            List<RunTimes> times = new ArrayList<>();
            List<Double> baseline = new ArrayList<>();
            int total = WARM_UP_RUNS + options.runs;
            for (int r = 0; r < total; r++) {
                if (own != null) {
                    baseline.add(ceiling(base, secrets, options.updates));
                }
                RunTimes t = once(api, base, secrets, shop, firstOrder + r, random);
                if (r >= WARM_UP_RUNS) {
                    times.add(t);
                }
                if (System.console() != null) {
                    out.printf("\r  run %d/%d (first %d warm up)   ", r + 1, total, WARM_UP_RUNS);
                }
            }
            if (System.console() != null) {
                out.print("\r" + " ".repeat(40) + "\r");
            }
            report(times, baseline.subList(Math.min(baseline.size(), WARM_UP_RUNS), baseline.size()), base);
            if (options.seconds > 0) {
                stream(api, base, secrets, shop, firstOrder + total, own == null ? InboxDrain.of(base) : InboxDrain.of(own));
            }
        } finally {
            if (pool != null) {
                pool.close();
            }
            if (own != null) {
                own.close();
            }
        }
    }

    private RunTimes once(Api api, URI base, Sendable.Secrets secrets, String shop, long orderId, Random random)
            throws InterruptedException {
        List<LoadClient.Call> calls = OrderVersions.conflicting(shop, orderId, options.updates, random).stream()
                .map(d -> call(d, secrets)).toList();
        long start = System.nanoTime();
        long ok = pool.sendAll(calls);
        long acked = System.nanoTime();
        if (ok != calls.size()) {
            throw new IllegalStateException((calls.size() - ok) + " updates were not acknowledged");
        }
        while (audit(api, orderId).size() < calls.size()) {
            Thread.sleep(2);
        }
        long applied = System.nanoTime();
        return new RunTimes((acked - start) / 1e6, (applied - start) / 1e6);
    }

    /**
     * The stream part: throughput of conflicting updates arriving back to back, and a check of every one. A first
     * stream on other orders warms the JIT up, as the ingest benchmark does; it is drained and not reported.
     */
    private void stream(Api api, URI base, Sendable.Secrets secrets, String shop, long firstOrder, InboxDrain drain) {
        try (LoadClient client = new LoadClient(base, options.connections)) {
            Warmup.Result warmup = Warmup.run(client, updates(secrets, shop, firstOrder), "warm-up: order updates");
            drain.await();
            long measuredOrders = firstOrder + options.orders;
            long start = System.nanoTime();
            LoadClient.Outcome sent = client.closedLoop(Duration.ofSeconds(options.seconds),
                    updates(secrets, shop, measuredOrders), new Progress(System.err, "stream of order updates", "ack"));
            drain.await();
            reportStream(api, sent, (System.nanoTime() - start) / 1e9, measuredOrders, warmup);
        }
    }

    /** Update n goes to order n % orders; nearby versions of an order overtake each other, some tie (discarded). */
    private LongFunction<LoadClient.Call> updates(Sendable.Secrets secrets, String shop, long firstOrder) {
        int orders = options.orders;
        return n -> {
            long nth = n / orders + 1;
            int minute = (int) Math.max(1, nth + Math.floorMod(Long.hashCode(n * 0x9E3779B97F4A7C15L), 9) - 4);
            return call(ShopifyDelivery.of("s-" + firstOrder + "-" + n, "se-" + firstOrder + "-" + n, shop,
                    "orders/updated", OrderVersions.at(firstOrder + n % orders, minute, false)), secrets);
        };
    }

    private void reportStream(Api api, LoadClient.Outcome sent, double seconds, long firstOrder, Warmup.Result warmup) {
        Map<String, Long> outcomes = new TreeMap<>();
        for (long orderId = firstOrder; orderId < firstOrder + options.orders; orderId++) {
            audit(api, orderId).forEach(row -> outcomes.merge(row.path("outcome").asText(), 1L, Long::sum));
        }
        long audited = outcomes.values().stream().mapToLong(Long::longValue).sum();
        double appliedPerSecond = sent.ok() / seconds;
        out.printf("%nStream: %d connections sending conflicting updates of %d orders back to back for %d s, "
                + "after a %s%n%n", options.connections, options.orders, options.seconds, warmup);
        Table table = new Table(1, "measure", "value");
        table.row("updates acknowledged", String.format("%,d (%,d refused or failed)", sent.ok(), sent.failed()));
        table.row("acknowledged/s", String.format("%,.0f", sent.perSecond()));
        table.row("ack latency p50 / p99 (ms)", String.format("%.1f / %.1f",
                sent.latencyMicros().getValueAtPercentile(50) / 1000.0, sent.latencyMicros().getValueAtPercentile(99) / 1000.0));
        table.row("applied or discarded/s, end to end", String.format("%,.0f", appliedPerSecond));
        table.row("audit rows by outcome", outcomes.toString());
        out.print(table.render());
        out.printf("%n  end to end: %.0fx the seed plan's %.0f requests/s%n", appliedPerSecond / SEED_PLAN_PER_SECOND,
                SEED_PLAN_PER_SECOND);
        if (audited != sent.ok() || outcomes.containsKey("failed")) {
            throw new IllegalStateException("expected one audit row per acknowledged update and none failed; found "
                    + audited + " rows for " + sent.ok() + " acknowledged updates: " + outcomes);
        }
    }

    /** The order's audit log; empty while the order does not exist yet. */
    private static List<JsonNode> audit(Api api, long orderId) {
        try {
            return api.all("/v1/orders/" + orderId + "/audit", Map.of());
        } catch (Api.ApiException e) {
            if (e.status() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    /** The same number of requests, at once, to the trivial endpoint: this machine's floor for the round trip. */
    private double ceiling(URI base, Sendable.Secrets secrets, int requests) {
        List<LoadClient.Call> calls = Collections.nCopies(requests, new LoadClient.Call("/bench/noop",
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        long start = System.nanoTime();
        pool.sendAll(calls);
        return (System.nanoTime() - start) / 1e6;
    }

    private static LoadClient.Call call(ShopifyDelivery d, Sendable.Secrets secrets) {
        List<String> headers = new ArrayList<>();
        d.headers(secrets).forEach((name, value) -> {
            headers.add(name);
            headers.add(value);
        });
        return new LoadClient.Call(d.path(), d.body(), headers.toArray(String[]::new));
    }

    private void report(List<RunTimes> times, List<Double> baseline, URI base) {
        Histogram acked = histogram(times.stream().map(RunTimes::ackMs).toList());
        Histogram applied = histogram(times.stream().map(RunTimes::appliedMs).toList());
        double medianApplied = applied.getValueAtPercentile(50) / 1000.0;
        out.printf("%nTarget %s: %d runs of %d conflicting updates of one order, sent at once, %d cores%n%n", base,
                times.size(), options.updates, Runtime.getRuntime().availableProcessors());
        Table table = new Table(1, "measure", "p50", "p90", "max");
        if (!baseline.isEmpty()) {
            table.row(row(options.updates + " trivial POSTs answered (ms)", histogram(baseline)));
        }
        table.row(row("all " + options.updates + " acknowledged (ms)", acked));
        table.row(row("all " + options.updates + " applied or discarded (ms)", applied));
        out.print(table.render());
        double perSecond = options.updates / (medianApplied / 1000);
        out.printf("%n  end to end: %,.0f updates/s (median run), %.0fx the seed plan's %.0f requests/s "
                        + "(100 in 2 s, 'excellent')%n", perSecond, perSecond / SEED_PLAN_PER_SECOND, SEED_PLAN_PER_SECOND);
        if (!baseline.isEmpty()) {
            out.printf("  applied vs trivial round trip: %.1fx the time%n",
                    medianApplied / (histogram(baseline).getValueAtPercentile(50) / 1000.0));
        }
    }

    /** Run times in milliseconds, kept in microseconds. */
    private static Histogram histogram(List<Double> millis) {
        Histogram h = new Histogram(3);
        millis.forEach(ms -> h.recordValue(Math.max(1, Math.round(ms * 1000))));
        return h;
    }

    private static Object[] row(String measure, Histogram micros) {
        return new Object[] {measure, ms(micros.getValueAtPercentile(50) / 1000.0),
                ms(micros.getValueAtPercentile(90) / 1000.0), ms(micros.getMaxValue() / 1000.0)};
    }

    private static String ms(double value) {
        return String.format("%.0f", value);
    }

    private static String required(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("with --url, give " + option);
        }
        return value;
    }
}
