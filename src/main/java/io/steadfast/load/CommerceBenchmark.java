package io.steadfast.load;

import io.steadfast.config.Config;
import io.steadfast.json.Json;
import io.steadfast.simulator.Api;
import io.steadfast.terminal.Progress;
import io.steadfast.terminal.Table;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Debits and store orders as fast as they go: on one hot wallet and one hot product, where every request queues on the
 * same row, and spread over many, where they do not. Each round runs the four kinds one after the other; the hot
 * figure is also given as a ratio to its spread twin of the same round, so that a noisy machine moves both.
 */
final class CommerceBenchmark {
    static final int SPREAD = 200;

    private final LoadCommand.Rounds options;
    private final PrintStream out = System.out;

    CommerceBenchmark(LoadCommand.Rounds options) {
        this.options = options;
    }

    private record Kind(String name, String twin, LongFunction<LoadClient.Call> calls) {
    }

    void run() {
        try (OwnNode own = OwnNode.start(out, Map.of(Config.API_RATE_LIMIT, "100000000/s"))) {
            Api api = new Api(own.base(), own.node().config().apiToken());
            String token = own.node().config().apiToken();
            List<Long> wallets = new ArrayList<>();
            List<Long> products = new ArrayList<>();
            for (int i = 0; i < SPREAD; i++) {
                long wallet = api.post("/v1/wallets", Map.of("customer_ref", "bench-" + i, "currency", "USD")).path("id")
                        .asLong();
                api.exchange("POST", "/v1/wallets/" + wallet + "/credit", Json.write(Map.of("amount", "100000000.00")),
                        "Idempotency-Key", "bench-fund-" + i);
                wallets.add(wallet);
                long product = api.post("/v1/store/products", Map.of("sku", "BENCH-" + i, "name", "bench", "price",
                        "1.00", "currency", "USD", "stock", 1_000_000_000)).path("id").asLong();
                api.post("/v1/store/products/" + product + "/activate", Map.of());
                products.add(product);
            }
            List<Kind> kinds = List.of(
                    new Kind("debit, one hot wallet", null, n -> debit(token, wallets.getFirst(), "hot-" + n)),
                    new Kind("debit, " + SPREAD + " wallets", "debit, one hot wallet",
                            n -> debit(token, wallets.get((int) (n % SPREAD)), "spread-" + n)),
                    new Kind("order, one hot product", null, n -> order(token, products.getFirst(), "hot-" + n)),
                    new Kind("order, " + SPREAD + " products", "order, one hot product",
                            n -> order(token, products.get((int) (n % SPREAD)), "spread-" + n)));
            try (LoadClient client = new LoadClient(own.base(), options.connections)) {
                out.printf("  %s%n", Warmup.run(client, n -> order(token, products.get((int) (n % SPREAD)), "warm-" + n),
                        "warm-up: orders"));
                measure(client, kinds);
            }
        }
    }

    private void measure(LoadClient client, List<Kind> kinds) {
        Map<Kind, List<LoadClient.Outcome>> outcomes = new LinkedHashMap<>();
        kinds.forEach(k -> outcomes.put(k, new ArrayList<>()));
        Duration phase = Duration.ofSeconds(options.seconds);
        for (int round = 1; round <= options.rounds; round++) {
            long offset = round * 100_000_000L;
            for (Kind k : kinds) {
                outcomes.get(k).add(client.closedLoop(phase, n -> k.calls().apply(offset + n),
                        new Progress(System.err, "round " + round + ": " + k.name(), "req")));
            }
        }
        Table table = new Table(1, "request", "req/s", "p50 ms", "p99 ms", "errors", "hot vs spread");
        for (Kind k : kinds) {
            List<LoadClient.Outcome> os = outcomes.get(k);
            Kind hot = kinds.stream().filter(h -> h.name().equals(k.twin())).findFirst().orElse(null);
            String ratio = "";
            if (hot != null) {
                List<Double> ratios = new ArrayList<>();
                for (int r = 0; r < os.size(); r++) {
                    ratios.add(outcomes.get(hot).get(r).perSecond() / os.get(r).perSecond());
                }
                ratio = String.format("%.2fx", ratios.stream().sorted().toList().get(ratios.size() / 2));
            }
            LoadClient.Outcome last = os.getLast();
            table.row(k.name(), String.format("%,.0f", os.stream().mapToDouble(LoadClient.Outcome::perSecond).sorted()
                            .toArray()[os.size() / 2]),
                    String.format("%.2f", last.latencyMicros().getValueAtPercentile(50) / 1000.0),
                    String.format("%.2f", last.latencyMicros().getValueAtPercentile(99) / 1000.0),
                    String.format("%,d", os.stream().mapToLong(LoadClient.Outcome::failed).sum()), ratio);
        }
        out.println();
        out.print(table.render());
        out.printf("%n  %d rounds of %d s per kind, %d connections, every request with its own Idempotency-Key; req/s is"
                + " the median over the rounds, p50/p99 from the last round; hot vs spread is the median of each round's"
                + " hot throughput over its spread one.%n", options.rounds, options.seconds, options.connections);
    }

    /** A debit of 0.01 with its own key ({@code key} tells the kinds of request apart). */
    private static LoadClient.Call debit(String token, long wallet, String key) {
        return new LoadClient.Call("/v1/wallets/" + wallet + "/debit",
                "{\"amount\": \"0.01\"}".getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + token,
                "Idempotency-Key", "bench-debit-" + key);
    }

    private static LoadClient.Call order(String token, long product, String key) {
        return new LoadClient.Call("/v1/store/orders", ("{\"items\": [{\"product_id\": " + product + ", \"quantity\": 1}]}")
                .getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + token, "Idempotency-Key",
                "bench-order-" + key);
    }
}
