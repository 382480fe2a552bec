package io.steadfast.load;

import io.steadfast.inbox.Workers;
import io.steadfast.terminal.Progress;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/** The phases of {@code steadfast load ingest}, and the table they print. */
final class IngestBenchmark {
    static final int TARGET_ACKED_PER_SECOND = 15_000;
    static final int TARGET_PROCESSED_PER_SECOND = 10_000;
    static final Duration TARGET_P99_AT_RATE = Duration.ofMillis(50);
    /** After a backlog drains, both rates within 20% of what the same run measured before it. */
    static final double TARGET_AFTER_BACKLOG = 0.8;

    private final LoadCommand.Ingest options;
    private final PrintStream out = System.out;

    IngestBenchmark(LoadCommand.Ingest options) {
        this.options = options;
    }

    void run() {
        OwnNode own = options.url.value == null ? OwnNode.start(out) : null;
        String appSecret = own != null ? own.node().config().whatsappAppSecret() : options.appSecret.value;
        URI base;
        if (own != null) {
            base = own.base();
        } else {
            if (appSecret == null || appSecret.isBlank()) {
                throw new IllegalArgumentException("with --url, give the target's app secret: --app-secret or STEADFAST_WHATSAPP_APP_SECRET");
            }
            base = URI.create(options.url.value.endsWith("/") ? options.url.value : options.url.value + "/");
        }
        try (LoadClient client = new LoadClient(base, options.connections)) {
            InboxDrain drain = own == null ? InboxDrain.of(base) : InboxDrain.of(own);
            measure(client, base, drain, new WebhookStream(appSecret, Long.toString(System.currentTimeMillis(), 36), options.customers),
                    Optional.ofNullable(own));
        } finally {
            if (own != null) {
                own.close();
            }
        }
    }

    private void measure(LoadClient client, URI base, InboxDrain drain, WebhookStream webhooks, Optional<OwnNode> own) {
        Optional<Workers> workers = own.flatMap(o -> o.node().workers());
        Duration phase = Duration.ofSeconds(options.seconds);
        LoadClient.Call noop = new LoadClient.Call("/bench/noop", webhooks.webhook(-1).body());
        AtomicLong sequence = new AtomicLong();
        LongFunction<LoadClient.Call> nextWebhook = ignored -> webhooks.webhook(sequence.getAndIncrement());
        boolean ownServer = workers.isPresent();

        out.printf("%nTarget %s, %d connections, %d s per phase, %d cores%n%n", base, options.connections,
                options.seconds, Runtime.getRuntime().availableProcessors());
        if (ownServer) {
            client.closedLoop(Warmup.MIN, n -> noop, progress("warm-up: trivial", "req"));
        }
        Warmup.Result warmup = Warmup.run(client, nextWebhook, "warm-up: webhooks");
        drain.await();
        out.printf("  %s%n%n", warmup);

        List<Row> rows = new ArrayList<>();
        Results results = new Results();
        if (ownServer) {
            LoadClient.Outcome ceiling = client.closedLoop(phase, n -> noop, progress("trivial endpoint", "req"));
            rows.add(new Row("trivial POST (HTTP ceiling)", ceiling));
            results.ceiling = ceiling.perSecond();

            workers.get().pause();
            LoadClient.Outcome ingestOnly = client.closedLoop(phase, nextWebhook,
                    progress("webhooks, workers paused", "ack"));
            rows.add(new Row("webhooks acked, workers paused", ingestOnly));
            results.ackedIngestOnly = ingestOnly.perSecond();
            long drainStart = System.nanoTime();
            workers.get().resume();
            drain.await();
            results.backlogApplied = ingestOnly.ok() / ((System.nanoTime() - drainStart) / 1e9);
        }
        long allInOneStart = System.nanoTime();
        LoadClient.Outcome allInOne = client.closedLoop(phase, nextWebhook,
                progress("webhooks, workers on", "ack"));
        rows.add(new Row("webhooks acked, workers applying", allInOne));
        drain.await();
        results.ackedAllInOne = allInOne.perSecond();
        results.endToEnd = allInOne.ok() / ((System.nanoTime() - allInOneStart) / 1e9);

        if (ownServer) {
            workers.get().pause();
            LoadClient.Outcome paced = client.openLoop(options.rate, phase, nextWebhook,
                    progress("at " + options.rate + "/s, paused", "ack"));
            rows.add(new Row(String.format("at %,d/s, workers paused", options.rate), paced));
            results.p99IngestOnly = paced.latencyMicros().getValueAtPercentile(99);
            workers.get().resume();
            drain.await();
        }
        LoadClient.Outcome paced = client.openLoop(options.rate, phase, nextWebhook,
                progress("at " + options.rate + "/s, workers on", "ack"));
        rows.add(new Row(String.format("at %,d/s, workers applying", options.rate), paced));
        results.p99AllInOne = paced.latencyMicros().getValueAtPercentile(99);
        drain.await();

        if (ownServer && options.backlog > 0) {
            afterBacklog(client, nextWebhook, drain, workers.get(), phase, rows, results);
            results.fencingRefusals = workers.get().list().stream().mapToLong(io.steadfast.inbox.Worker::leaseLostCount).sum();
            afterRestartOntoBacklog(client, nextWebhook, drain, own.get(), phase, rows, results);
        }

        printTable(rows);
        results.print(ownServer);
    }

    /**
     * The same after a restart: the backlog is taken, then the node and its PostgreSQL restart and drain it, as when
     * serve comes back after an outage; this JVM stays warm, so what differs from a first start is the database.
     */
    private void afterRestartOntoBacklog(LoadClient client, LongFunction<LoadClient.Call> nextWebhook, InboxDrain drain,
                                         OwnNode own, Duration phase, List<Row> rows, Results results) {
        own.node().workers().orElseThrow().pause();
        long taken = takeBacklog(client, nextWebhook);
        long restartStart = System.nanoTime();
        own.restart();
        drain.await();
        results.restartDrained = Duration.ofNanos(System.nanoTime() - restartStart);
        long afterStart = System.nanoTime();
        LoadClient.Outcome after = client.closedLoop(phase, nextWebhook, progress("right after the restart", "ack"));
        rows.add(new Row("webhooks acked, after a restart onto a backlog", after));
        drain.await();
        results.restartBacklog = taken;
        results.ackedAfterRestart = after.perSecond();
        results.endToEndAfterRestart = after.ok() / ((System.nanoTime() - afterStart) / 1e9);
    }

    private long takeBacklog(LoadClient client, LongFunction<LoadClient.Call> nextWebhook) {
        long taken = 0;
        while (taken < options.backlog) {
            taken += client.closedLoop(Duration.ofSeconds(5), nextWebhook, progress("backlog, workers paused", "ack")).ok();
        }
        return taken;
    }

    /**
     * The minute after an outage, when providers retry everything at once: a backlog taken with the workers paused,
     * drained, then the first {@code phase} after the drain, against the same measures earlier in the run.
     */
    private void afterBacklog(LoadClient client, LongFunction<LoadClient.Call> nextWebhook, InboxDrain drain,
                              Workers workers, Duration phase, List<Row> rows, Results results) {
        workers.pause();
        long taken = takeBacklog(client, nextWebhook);
        long drainStart = System.nanoTime();
        workers.resume();
        drain.await();
        results.backlog = taken;
        results.backlogDrained = Duration.ofNanos(System.nanoTime() - drainStart);
        long afterStart = System.nanoTime();
        LoadClient.Outcome after = client.closedLoop(phase, nextWebhook, progress("right after the drain", "ack"));
        rows.add(new Row("webhooks acked, right after a backlog", after));
        drain.await();
        results.ackedAfterBacklog = after.perSecond();
        results.endToEndAfterBacklog = after.ok() / ((System.nanoTime() - afterStart) / 1e9);
    }

    /** The figures the targets are judged on, in both topologies: an ingest node, and everything in one process. */
    private final class Results {
        double ceiling;
        double ackedIngestOnly;
        double backlogApplied;
        double ackedAllInOne;
        double endToEnd;
        long p99IngestOnly;
        long p99AllInOne;
        long backlog;
        Duration backlogDrained;
        double ackedAfterBacklog;
        double endToEndAfterBacklog;
        long fencingRefusals = -1;
        long restartBacklog;
        Duration restartDrained;
        double ackedAfterRestart;
        double endToEndAfterRestart;

        void print(boolean ownServer) {
            out.println();
            if (ownServer) {
                out.printf("  acknowledged/s vs the HTTP ceiling: %.2f with workers paused, %.2f with workers applying%n",
                        ackedIngestOnly / ceiling, ackedAllInOne / ceiling);
                out.printf("  backlog applied by the workers alone: %,.0f events/s%n", backlogApplied);
            }
            out.printf("  end to end, workers applying while webhooks arrive: %,.0f events/s%n", endToEnd);
            if (backlog > 0) {
                out.printf("  after a backlog of %,d drained in %.1f s: acknowledged/s %.2f and applied/s %.2f of the run's"
                                + " earlier figures (target >= %.2f)%n", backlog, backlogDrained.toMillis() / 1000.0,
                        ackedAfterBacklog / ackedAllInOne, endToEndAfterBacklog / endToEnd, TARGET_AFTER_BACKLOG);
            }
            if (fencingRefusals >= 0) {
                out.printf("  commits refused by fencing before the restart: %,d (leases renewed while batches run)%n",
                        fencingRefusals);
            }
            if (restartBacklog > 0) {
                out.printf("  after a restart onto a backlog of %,d (restarted and drained in %.1f s): acknowledged/s %.2f"
                                + " and applied/s %.2f of the run's earlier figures%n", restartBacklog,
                        restartDrained.toMillis() / 1000.0, ackedAfterRestart / ackedAllInOne, endToEndAfterRestart / endToEnd);
            }
            out.println();
            out.println("  targets (2 cores)                          workers paused   workers applying");
            target(String.format("acknowledged webhooks/s >= %,d", TARGET_ACKED_PER_SECOND), TARGET_ACKED_PER_SECOND,
                    ownServer ? ackedIngestOnly : Double.NaN, ackedAllInOne, "%,.0f");
            target(String.format("events processed/s >= %,d", TARGET_PROCESSED_PER_SECOND), TARGET_PROCESSED_PER_SECOND,
                    ownServer ? backlogApplied : Double.NaN, endToEnd, "%,.0f");
            double limitMs = TARGET_P99_AT_RATE.toMillis();
            out.printf("    %-40s %16s %18s%n", String.format("p99 ack latency at %,d/s < %.0f ms", options.rate, limitMs),
                    ownServer ? verdict(p99IngestOnly / 1000.0 < limitMs, ms(p99IngestOnly)) : "-",
                    verdict(p99AllInOne / 1000.0 < limitMs, ms(p99AllInOne)));
        }
    }

    private void target(String what, double goal, double ingestOnly, double allInOne, String format) {
        out.printf("    %-40s %16s %18s%n", what,
                Double.isNaN(ingestOnly) ? "-" : verdict(ingestOnly >= goal, String.format(format, ingestOnly)),
                verdict(allInOne >= goal, String.format(format, allInOne)));
    }

    private static String verdict(boolean met, String measured) {
        return measured + (met ? " met" : " MISS");
    }

    private record Row(String phase, LoadClient.Outcome outcome) {
    }

    private void printTable(List<Row> rows) {
        int width = rows.stream().map(Row::phase).max(Comparator.comparingInt(String::length)).orElse("").length();
        String format = "  %-" + width + "s  %10s  %10s  %9s  %9s  %9s  %7s%n";
        out.printf(format, "phase", "requests", "ok/s", "p50", "p99", "max", "errors");
        out.printf(format, "-".repeat(width), "--------", "----", "---", "---", "---", "------");
        for (Row r : rows) {
            var h = r.outcome().latencyMicros();
            out.printf(format, r.phase(), String.format("%,d", r.outcome().ok() + r.outcome().failed()),
                    String.format("%,.0f", r.outcome().perSecond()), ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), String.format("%,d", r.outcome().failed()));
        }
    }

    private Progress progress(String label, String unit) {
        return new Progress(System.err, label, unit);
    }

    private static String ms(long micros) {
        return micros < 10_000 ? String.format("%.2f ms", micros / 1000.0) : String.format("%.1f ms", micros / 1000.0);
    }
}
