package io.steadfast.load;

import io.steadfast.config.Config;
import io.steadfast.db.Database;
import io.steadfast.tenant.Access;
import io.steadfast.tenant.ApiKeys;
import io.steadfast.terminal.Progress;
import io.steadfast.terminal.Table;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * Seed 004's read queries at seeded scale: a business's conversations newest first (Q1), a conversation's messages
 * (Q2), message search and 30-day analytics, each through the API with the business's own key, the business and
 * the conversation drawn at random per request. Seeds its own Steadfast first (embedded PostgreSQL).
 */
final class QueriesBenchmark {
    private final LoadCommand.Queries options;
    private final PrintStream out = System.out;

    QueriesBenchmark(LoadCommand.Queries options) {
        this.options = options;
    }

    private record Query(String name, double targetMs, LongFunction<LoadClient.Call> calls) {
    }

    void run() {
        try (OwnNode own = OwnNode.start(out, Map.of(Config.API_RATE_LIMIT, "100000000/s"))) {
            Seeder.Result seeded;
            List<List<Long>> conversations = new ArrayList<>();
            try (Database owner = Database.connect(own.node().database().url(), 2, "steadfast-load-seed")) {
                seeded = new Seeder(owner, new Random(4)).seedShowingProgress(options.seed.plan());
                for (long business : seeded.businessIds()) {
                    conversations.add(owner.jdbi().withHandle(h -> h.createQuery("SELECT id FROM conversation "
                            + "WHERE business_id = :b ORDER BY id").bind("b", business).mapTo(Long.class).list()));
                }
            }
            out.printf("  seeded %,d businesses, %,d conversations, %,d messages in %.0f s%n",
                    seeded.businessIds().size(), seeded.conversations(), seeded.messages(), seeded.took().toSeconds() + 0.0);
            ApiKeys keys = new ApiKeys(own.node().database().jdbi());
            List<String> tokens = seeded.businessIds().stream()
                    .map(b -> "Bearer " + keys.create(b, "load-queries", Access.AGENT).key()).toList();
            int businesses = tokens.size();
            List<Query> queries = List.of(
                    new Query("Q1 conversations, newest first", 50, n -> new LoadClient.Call(
                            "/v1/conversations?limit=50", null, "Authorization", tokens.get(pick(n, businesses)))),
                    new Query("Q2 a conversation's messages", 100, n -> {
                        int b = pick(n, businesses);
                        List<Long> own2 = conversations.get(b);
                        return new LoadClient.Call("/v1/conversations/" + own2.get(pick(n / businesses, own2.size()))
                                + "/messages?limit=100", null, "Authorization", tokens.get(b));
                    }),
                    new Query("search, two words", 500, n -> new LoadClient.Call("/v1/messages/search?q="
                            + Seeder.WORDS[pick(n, Seeder.WORDS.length)] + "+" + Seeder.WORDS[pick(n * 7 + 3,
                            Seeder.WORDS.length)] + "&limit=50", null, "Authorization", tokens.get(pick(n, businesses)))),
                    new Query("analytics, 30 days", 1_000, n -> new LoadClient.Call("/v1/analytics/messages?days=30",
                            null, "Authorization", tokens.get(pick(n, businesses)))));
            try (LoadClient client = new LoadClient(own.base(), options.connections)) {
                out.printf("  %s%n", Warmup.run(client, queries.get(1).calls(), "warm-up: reads"));
                measure(client, queries, seeded);
            }
        }
    }

    private void measure(LoadClient client, List<Query> queries, Seeder.Result seeded) {
        Table table = new Table(1, "query", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "target p95",
                "target / p95");
        for (Query q : queries) {
            LoadClient.Outcome o = client.closedLoop(Duration.ofSeconds(options.seconds), q.calls(),
                    new Progress(System.err, q.name(), "req"));
            double p95 = o.latencyMicros().getValueAtPercentile(95) / 1000.0;
            table.row(q.name(), String.format("%,.0f", o.perSecond()),
                    String.format("%.1f", o.latencyMicros().getValueAtPercentile(50) / 1000.0), String.format("%.1f", p95),
                    String.format("%.1f", o.latencyMicros().getValueAtPercentile(99) / 1000.0),
                    String.format("%.1f", o.latencyMicros().getMaxValue() / 1000.0), String.format("%,d", o.failed()),
                    String.format("< %.0f ms", q.targetMs()), String.format("%.1fx", q.targetMs() / p95));
        }
        out.println();
        out.print(table.render());
        out.printf("%n  %,d messages over %,d businesses; %d s per query, %d connections, each request for a business"
                + " (and conversation, and words) drawn at random, with that business's key. target / p95 above 1 is"
                + " within seed 004's threshold.%n", seeded.messages(), seeded.businessIds().size(), options.seconds,
                options.connections);
    }

    /** A well-spread index in [0, size) for request {@code n}. */
    private static int pick(long n, int size) {
        return (int) Math.floorMod(n * 0x9E3779B97F4A7C15L >>> 17, size);
    }
}
