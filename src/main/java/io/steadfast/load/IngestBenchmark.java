package io.steadfast.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steadfast.Node;
import io.steadfast.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The phases of {@code steadfast load ingest}, and the table they print. */
final class IngestBenchmark {
    /** The JIT needs this long on both paths before the numbers settle (measured on 2 cores). */
    static final Duration WARMUP = Duration.ofSeconds(15);
    static final int TARGET_ACKED_PER_SECOND = 15_000;
    static final int TARGET_PROCESSED_PER_SECOND = 10_000;
    static final Duration TARGET_P99_AT_RATE = Duration.ofMillis(50);

    private final LoadCommand.Ingest options;
    private final PrintStream out = System.out;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient probe = HttpClient.newHttpClient();

    IngestBenchmark(LoadCommand.Ingest options) {
        this.options = options;
    }

    void run() {
        Path tempDir = null;
        Node node = null;
        String appSecret = options.appSecret;
        URI base;
        boolean ownServer = options.url == null;
        if (ownServer) {
            tempDir = tempDir();
            out.println("Starting Steadfast with embedded PostgreSQL in " + tempDir + " ...");
            Map<String, String> settings = new HashMap<>(System.getenv());
            settings.remove(Config.DATABASE_URL);
            settings.put(Config.DATA_DIR, tempDir.toString());
            settings.put(Config.PORT, "0");
            settings.put(Config.HOST, "127.0.0.1");
            node = Node.start(Config.load(settings), new Node.Options(Clock.systemUTC(), Map.of(), true));
            appSecret = node.config().whatsappAppSecret();
            base = URI.create("http://127.0.0.1:" + node.port() + "/");
        } else {
            if (appSecret == null || appSecret.isBlank()) {
                throw new IllegalArgumentException("with --url, give the target's app secret: --app-secret or STEADFAST_WHATSAPP_APP_SECRET");
            }
            base = URI.create(options.url.endsWith("/") ? options.url : options.url + "/");
        }
        try (LoadClient client = new LoadClient(base, options.connections)) {
            measure(client, base, new WebhookStream(appSecret, Long.toString(System.currentTimeMillis(), 36), options.customers),
                    ownServer);
        } finally {
            if (node != null) {
                node.close();
            }
            if (tempDir != null) {
                deleteRecursively(tempDir);
            }
        }
    }

    private void measure(LoadClient client, URI base, WebhookStream webhooks, boolean ownServer) {
        Duration phase = Duration.ofSeconds(options.seconds);
        LoadClient.Call noop = ownServer
                ? new LoadClient.Call("/bench/noop", webhooks.webhook(-1).body())
                : null;
        long[] sequence = {0};
        java.util.function.LongFunction<LoadClient.Call> nextWebhook = n -> webhooks.webhook(sequence[0]++);

        out.printf("%nTarget %s, %d connections, %d s per phase, %s cores%n%n", base, options.connections, options.seconds,
                Runtime.getRuntime().availableProcessors());
        if (noop != null) {
            client.closedLoop(options.connections, WARMUP, n -> noop, progress("warm-up (trivial)", "req"));
        }
        client.closedLoop(options.connections, WARMUP, nextWebhook, progress("warm-up (webhooks)", "ack"));
        awaitDrained(base, Duration.ofMinutes(5));

        List<Row> rows = new ArrayList<>();
        LoadClient.Outcome baseline = null;
        if (noop != null) {
            baseline = client.closedLoop(options.connections, phase, n -> noop, progress("trivial endpoint", "req"));
            rows.add(new Row("trivial POST (HTTP ceiling)", baseline));
        }
        long ingestStart = System.nanoTime();
        LoadClient.Outcome ingest = client.closedLoop(options.connections, phase, nextWebhook, progress("signed webhooks", "ack"));
        rows.add(new Row("signed webhooks, max", ingest));
        Duration untilDrained = awaitDrained(base, Duration.ofMinutes(10)).plusNanos(System.nanoTime() - ingestStart)
                .minusNanos(System.nanoTime() - ingestStart);
        double processedPerSecond = ingest.ok() / ((System.nanoTime() - ingestStart) / 1e9);
        LoadClient.Outcome atRate = client.openLoop(options.rate, phase, nextWebhook, progress("webhooks at " + options.rate + "/s", "ack"));
        rows.add(new Row(String.format("signed webhooks at %,d/s", options.rate), atRate));
        awaitDrained(base, Duration.ofMinutes(10));

        printTable(rows);
        double ackedPerSecond = ingest.perSecond();
        out.println();
        if (baseline != null) {
            out.printf("  acknowledged webhooks/s vs HTTP ceiling: %.2f (%,.0f / %,.0f)%n", ackedPerSecond / baseline.perSecond(),
                    ackedPerSecond, baseline.perSecond());
        }
        out.printf("  end-to-end: %,d events acknowledged and applied in %.1f s: %,.0f events/s%n", ingest.ok(),
                ingest.ok() / processedPerSecond, processedPerSecond);
        long p99 = atRate.latencyMicros().getValueAtPercentile(99);
        out.println();
        out.println("  targets (2 cores)");
        target(String.format("acknowledged webhooks/s >= %,d", TARGET_ACKED_PER_SECOND), ackedPerSecond >= TARGET_ACKED_PER_SECOND,
                String.format("%,.0f", ackedPerSecond));
        target(String.format("events processed/s end to end >= %,d", TARGET_PROCESSED_PER_SECOND),
                processedPerSecond >= TARGET_PROCESSED_PER_SECOND, String.format("%,.0f", processedPerSecond));
        target(String.format("p99 ack latency at %,d/s < %d ms", options.rate, TARGET_P99_AT_RATE.toMillis()),
                p99 < TARGET_P99_AT_RATE.toNanos() / 1000, ms(p99));
        if (untilDrained.isNegative()) {
            throw new IllegalStateException("unreachable");
        }
    }

    private void target(String what, boolean met, String measured) {
        out.printf("    %s  %-42s measured %s%n", met ? "met " : "MISS", what, measured);
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

    /** Waits until the target's inbox has nothing pending or in progress; returns how long that took. */
    private Duration awaitDrained(URI base, Duration patience) {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode inbox = health(base).path("components").path("inbox");
            if (inbox.path("pending").asLong(-1) == 0 && inbox.path("processing").asLong(-1) == 0) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        throw new IllegalStateException("the inbox did not drain within " + patience);
    }

    private JsonNode health(URI base) {
        try {
            HttpResponse<String> r = probe.send(HttpRequest.newBuilder(base.resolve("health/detailed")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + base + "health/detailed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Progress progress(String label, String unit) {
        return new Progress(System.err, label, unit);
    }

    private static String ms(long micros) {
        return String.format("%.1f ms", micros / 1000.0);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("steadfast-load");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
