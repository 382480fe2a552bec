package io.steadfast.load;

import io.steadfast.config.Config;
import io.steadfast.db.Database;
import io.steadfast.inbox.InboxRetention;
import io.steadfast.retention.Pacing;
import io.steadfast.terminal.Progress;
import io.steadfast.terminal.Table;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code steadfast load prune}: ingest latency at a fixed rate with and without retention pruning a backlog of old
 * done events, in alternating phases of the same minute, so the ratio reads through the machine's noise.
 */
final class PruneBenchmark {
    static final int SEED_CHUNK = 100_000;

    private final LoadCommand.Prune options;
    private final PrintStream out = System.out;
    private volatile boolean pruning;

    PruneBenchmark(LoadCommand.Prune options) {
        this.options = options;
    }

    void run() {
        // the node's own pruner keeps everything: this benchmark decides when pruning runs
        try (OwnNode own = OwnNode.start(out, Map.of(Config.RETENTION_DAYS, "36500"))) {
            Jdbi jdbi = own.node().database().jdbi();
            try (Database owner = Database.connect(own.node().database().url(), 2, "steadfast-load-seed")) {
                seed(owner.jdbi()); // as the owner: the application's role may not ANALYZE
            }
            try (LoadClient client = new LoadClient(own.base(), options.connections)) {
                WebhookStream webhooks = new WebhookStream(own.node().config().whatsappAppSecret(),
                        Long.toString(System.currentTimeMillis(), 36), 10_000);
                AtomicLong sequence = new AtomicLong();
                LongFunction<LoadClient.Call> next = n -> webhooks.webhook(sequence.getAndIncrement());
                out.printf("  %s%n", Warmup.run(client, next, "warm-up: webhooks"));
                InboxDrain drain = InboxDrain.of(own);
                drain.await();
                Pacing pacing = new Pacing(() -> true);
                CompletableFuture<Long> sweep = CompletableFuture.supplyAsync(() -> new InboxRetention()
                        .sweep(jdbi, Instant.now().minus(Duration.ofDays(30)), () -> pace(pacing)), r -> Thread.ofPlatform().start(r));
                Table table = new Table(0, "pair", "p99 quiet", "p99 pruning", "ratio", "rows pruned/s", "errors");
                for (int pair = 1; pair <= options.pairs && !sweep.isDone(); pair++) {
                    LoadClient.Outcome quiet = phase(client, next, drain, false, "pair " + pair + ": quiet");
                    long before = stored(jdbi);
                    LoadClient.Outcome busy = phase(client, next, drain, true, "pair " + pair + ": pruning");
                    double prunedPerSecond = (before + 2 * busy.ok() - stored(jdbi)) / (busy.elapsed().toNanos() / 1e9);
                    table.row(pair, ms(p99(quiet)), ms(p99(busy)), String.format("%.2f", p99(busy) / (double) Math.max(1, p99(quiet))),
                            String.format("%,.0f", prunedPerSecond), String.format("%,d", quiet.failed() + busy.failed()));
                }
                pruning = true;
                long total = sweep.join();
                out.println();
                out.print(table.render());
                out.printf("%n  %,d webhooks/s in every phase, %d s each; %,d old events and their raw requests pruned in all (%,d rows)%n",
                        options.rate, options.seconds, options.rows, total);
            }
        }
    }

    private LoadClient.Outcome phase(LoadClient client, LongFunction<LoadClient.Call> next, InboxDrain drain,
                                     boolean withPruning, String label) {
        pruning = withPruning;
        LoadClient.Outcome outcome = client.openLoop(options.rate, Duration.ofSeconds(options.seconds), next,
                new Progress(System.err, label, "ack"));
        pruning = false;
        drain.await();
        return outcome;
    }

    /** The pruner's own pacing while a pruning phase runs; held between phases. */
    private boolean pace(Pacing pacing) {
        boolean go = pacing.next();
        while (!pruning) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        pacing.batchStarting(); // time held between phases is not the batch's
        return go;
    }

    /** Done events received 40 days ago, each with its raw request, as retention finds them after a month. */
    private void seed(Jdbi jdbi) {
        AtomicLong seeded = new AtomicLong();
        CompletableFuture<Void> seeding = CompletableFuture.runAsync(() -> {
            for (long from = 1; from <= options.rows; from += SEED_CHUNK) {
                long to = Math.min(options.rows, from + SEED_CHUNK - 1);
                long first = from;
                jdbi.useHandle(h -> h.createUpdate("""
                        WITH requests AS (
                            INSERT INTO webhook_request (id, source, received_at, headers, body)
                            SELECT (lpad(to_hex((extract(epoch FROM t) * 1000)::bigint), 12, '0') || '7000' || '8000'
                                    || lpad(to_hex(i), 12, '0'))::uuid, 'whatsapp', t, '{}', convert_to(repeat('x', 600), 'UTF8')
                            FROM generate_series(:from, :to) i, LATERAL (SELECT now() - interval '40 days' AS t) at
                            RETURNING id, received_at
                        )
                        INSERT INTO inbox_event (source, partition_key, dedup_key, event_type, payload, request_id, status,
                                                 received_at, next_attempt_at, processed_at)
                        SELECT 'whatsapp', 'seeded', 'seeded-' || id, 'whatsapp.message', '{}', id, 'done', received_at,
                               received_at, received_at
                        FROM requests
                        """).bind("from", first).bind("to", to).execute());
                seeded.set(to);
            }
            jdbi.useHandle(h -> h.execute("ANALYZE"));
        }, r -> Thread.ofPlatform().start(r));
        new Progress(System.err, "seeding old events", "rows").whileRunning(seeding::isDone, seeded::get, options.rows);
        seeding.join();
        out.printf("  seeded %,d done events received 40 days ago, with their raw requests%n", options.rows);
    }

    /** Inbox events and raw requests stored now; each webhook sent adds one of each. */
    private static long stored(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT (SELECT count(*) FROM inbox_event) + (SELECT count(*) FROM webhook_request)").mapTo(Long.class).one());
    }

    private static long p99(LoadClient.Outcome outcome) {
        return outcome.latencyMicros().getValueAtPercentile(99);
    }

    private static String ms(long micros) {
        return String.format("%.1f ms", micros / 1000.0);
    }
}
