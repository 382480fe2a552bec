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

/**
 * The phases of {@code steadfast load ingest}, and the table they print. Targets are ratios to the HTTP ceiling the
 * same client measures against the same server in the same run, since a webhook's absolute cost depends on the
 * machine: on two shared cores the ceiling itself moved from 23,000 to 38,000 requests/s between quarter hours.
 */
final class IngestBenchmark {
    /** Acknowledged webhooks/s over the trivial-POST ceiling, with the workers paused (an ingest node). */
    static final double TARGET_ACKED_INGEST_ONLY = 0.45;
    /** The same with the workers applying in the same process. */
    static final double TARGET_ACKED_ALL_IN_ONE = 0.30;
    /** Events applied end to end per second over the ceiling, webhooks arriving while workers apply. */
    static final double TARGET_END_TO_END = 0.30;
    static final Duration TARGET_P99_INGEST_ONLY = Duration.ofMillis(50);
    static final Duration TARGET_P99_ALL_IN_ONE = Duration.ofMillis(100);
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
        LoadClient.Call noop = new LoadClient.Call("/bench/noop", webhooks.webhook(-1).body());
        AtomicLong sequence = new AtomicLong();
        LongFunction<LoadClient.Call> nextWebhook = ignored -> webhooks.webhook(sequence.getAndIncrement());

        out.printf("%nTarget %s, %d connections, %d s per phase, %d run%s, %d cores%n%n", base, options.connections,
                options.seconds, options.runs, options.runs == 1 ? "" : "s", Runtime.getRuntime().availableProcessors());
        if (workers.isPresent()) {
            client.closedLoop(Warmup.MIN, n -> noop, progress("warm-up: trivial", "req"));
        }
        Warmup.Result warmup = Warmup.run(client, nextWebhook, "warm-up: webhooks");
        drain.await();
        out.printf("  %s%n%n", warmup);

        Phases phases = new Phases(client, drain, nextWebhook, noop, workers, own.map(Wal::new),
                averageBodyBytes(webhooks), Duration.ofSeconds(options.seconds), options.rate);
        List<IngestRun> runs = new ArrayList<>();
        for (int i = 1; i <= options.runs; i++) {
            runs.add(phases.run(i, options.runs));
        }
        IngestRun last = runs.getLast();
        List<Row> rows = new ArrayList<>(last.rows());
        Backlog backlog = new Backlog();
        if (workers.isPresent() && options.backlog > 0) {
            afterBacklog(client, nextWebhook, drain, workers.get(), rows, backlog);
            backlog.fencingRefusals = workers.get().list().stream().mapToLong(io.steadfast.inbox.Worker::leaseLostCount).sum();
            afterRestartOntoBacklog(client, nextWebhook, drain, own.get(), rows, backlog);
        }

        if (runs.size() > 1) {
            out.printf("  the phases of run %d of %d:%n", runs.size(), runs.size());
        }
        printTable(rows);
        out.println();
        if (runs.size() > 1) {
            IngestRun.printRuns(out, runs);
        }
        last.printSummary(out);
        backlog.print(last);
        IngestRun.printTargets(out, runs, options.rate);
    }

    /** The raw body of a webhook of this run, on average over a sample (ids of the length the run sends). */
    private static int averageBodyBytes(WebhookStream webhooks) {
        long total = 0;
        for (int i = 0; i < 100; i++) {
            total += webhooks.webhook(100_000 + i).body().length;
        }
        return (int) (total / 100);
    }

    /**
     * The same after a restart: the backlog is taken, then the node and its PostgreSQL restart and drain it, as when
     * serve comes back after an outage; this JVM stays warm, so what differs from a first start is the database.
     */
    private void afterRestartOntoBacklog(LoadClient client, LongFunction<LoadClient.Call> nextWebhook, InboxDrain drain,
                                         OwnNode own, List<Row> rows, Backlog backlog) {
        own.node().workers().orElseThrow().pause();
        long taken = takeBacklog(client, nextWebhook);
        long restartStart = System.nanoTime();
        own.restart();
        drain.await();
        backlog.restartDrained = Duration.ofNanos(System.nanoTime() - restartStart);
        long afterStart = System.nanoTime();
        LoadClient.Outcome after = client.closedLoop(Duration.ofSeconds(options.seconds), nextWebhook,
                progress("right after the restart", "ack"));
        rows.add(new Row("webhooks acked, after a restart onto a backlog", after));
        drain.await();
        backlog.restartBacklog = taken;
        backlog.ackedAfterRestart = after.perSecond();
        backlog.endToEndAfterRestart = after.ok() / ((System.nanoTime() - afterStart) / 1e9);
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
     * drained, then the first phase after the drain, against the same measures earlier in the run.
     */
    private void afterBacklog(LoadClient client, LongFunction<LoadClient.Call> nextWebhook, InboxDrain drain,
                              Workers workers, List<Row> rows, Backlog backlog) {
        workers.pause();
        long taken = takeBacklog(client, nextWebhook);
        long drainStart = System.nanoTime();
        workers.resume();
        drain.await();
        backlog.backlog = taken;
        backlog.backlogDrained = Duration.ofNanos(System.nanoTime() - drainStart);
        long afterStart = System.nanoTime();
        LoadClient.Outcome after = client.closedLoop(Duration.ofSeconds(options.seconds), nextWebhook,
                progress("right after the drain", "ack"));
        rows.add(new Row("webhooks acked, right after a backlog", after));
        drain.await();
        backlog.ackedAfterBacklog = after.perSecond();
        backlog.endToEndAfterBacklog = after.ok() / ((System.nanoTime() - afterStart) / 1e9);
    }

    /** What the backlog phases measured, read against the last run. */
    private final class Backlog {
        long backlog;
        Duration backlogDrained;
        double ackedAfterBacklog;
        double endToEndAfterBacklog;
        long fencingRefusals = -1;
        long restartBacklog;
        Duration restartDrained;
        double ackedAfterRestart;
        double endToEndAfterRestart;

        void print(IngestRun run) {
            if (backlog > 0) {
                out.printf("  after a backlog of %,d drained in %.1f s: acknowledged/s %.2f and applied/s %.2f of the run's"
                                + " earlier figures (target >= %.2f)%n", backlog, backlogDrained.toMillis() / 1000.0,
                        ackedAfterBacklog / run.ackedAllInOne(), endToEndAfterBacklog / run.endToEnd(),
                        TARGET_AFTER_BACKLOG);
            }
            if (fencingRefusals >= 0) {
                out.printf("  commits refused by fencing before the restart: %,d (leases renewed while batches run)%n",
                        fencingRefusals);
            }
            if (restartBacklog > 0) {
                out.printf("  after a restart onto a backlog of %,d (restarted and drained in %.1f s): acknowledged/s %.2f"
                                + " and applied/s %.2f of the run's earlier figures%n", restartBacklog,
                        restartDrained.toMillis() / 1000.0, ackedAfterRestart / run.ackedAllInOne(),
                        endToEndAfterRestart / run.endToEnd());
            }
        }
    }

    record Row(String phase, LoadClient.Outcome outcome) {
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

    static String ms(long micros) {
        return micros < 10_000 ? String.format("%.2f ms", micros / 1000.0) : String.format("%.1f ms", micros / 1000.0);
    }
}
