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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/** The phases of {@code steadfast load ingest}, and the table they print. */
final class IngestBenchmark {
    /** The JIT needs this long on both paths before the numbers settle (measured on 2 cores). */
    static final Duration WARMUP = Duration.ofSeconds(15);
    static final Duration DRAIN_PATIENCE = Duration.ofMinutes(10);
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
        LoadClient.Call noop = new LoadClient.Call("/bench/noop", webhooks.webhook(-1).body());
        AtomicLong sequence = new AtomicLong();
        LongFunction<LoadClient.Call> nextWebhook = ignored -> webhooks.webhook(sequence.getAndIncrement());

        out.printf("%nTarget %s, %d connections, %d s per phase, %d cores%n%n", base, options.connections,
                options.seconds, Runtime.getRuntime().availableProcessors());
        if (ownServer) {
            client.closedLoop(options.connections, WARMUP, n -> noop, progress("warm-up: trivial", "req"));
        }
        client.closedLoop(options.connections, WARMUP, nextWebhook, progress("warm-up: webhooks", "ack"));
        awaitDrained(base);

        List<Row> rows = new ArrayList<>();
        LoadClient.Outcome ceiling = null;
        if (ownServer) {
            ceiling = client.closedLoop(options.connections, phase, n -> noop, progress("trivial endpoint", "req"));
            rows.add(new Row("trivial POST (HTTP ceiling)", ceiling));
        }
        long ingestStart = System.nanoTime();
        LoadClient.Outcome max = client.closedLoop(options.connections, phase, nextWebhook, progress("signed webhooks", "ack"));
        rows.add(new Row("signed webhooks, as fast as acked", max));
        awaitDrained(base);
        double endToEndSeconds = (System.nanoTime() - ingestStart) / 1e9;
        double processedPerSecond = max.ok() / endToEndSeconds;
        LoadClient.Outcome atRate = client.openLoop(options.rate, phase, nextWebhook,
                progress("webhooks at " + options.rate + "/s", "ack"));
        rows.add(new Row(String.format("signed webhooks at %,d/s", options.rate), atRate));
        awaitDrained(base);

        printTable(rows);
        out.println();
        if (ceiling != null) {
            out.printf("  acknowledged webhooks/s vs the HTTP ceiling: %.2f (%,.0f / %,.0f)%n",
                    max.perSecond() / ceiling.perSecond(), max.perSecond(), ceiling.perSecond());
        }
        out.printf("  end to end: %,d events acknowledged and applied in %.1f s: %,.0f events/s%n", max.ok(),
                endToEndSeconds, processedPerSecond);
        long p99 = atRate.latencyMicros().getValueAtPercentile(99);
        out.println();
        out.println("  targets (2 cores)");
        target(String.format("acknowledged webhooks/s >= %,d", TARGET_ACKED_PER_SECOND),
                max.perSecond() >= TARGET_ACKED_PER_SECOND, String.format("%,.0f", max.perSecond()));
        target(String.format("events processed/s end to end >= %,d", TARGET_PROCESSED_PER_SECOND),
                processedPerSecond >= TARGET_PROCESSED_PER_SECOND, String.format("%,.0f", processedPerSecond));
        target(String.format("p99 ack latency at %,d/s < %d ms", options.rate, TARGET_P99_AT_RATE.toMillis()),
                p99 < TARGET_P99_AT_RATE.toNanos() / 1000, ms(p99));
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

    /** Waits until the target's inbox has nothing pending or in progress. */
    private void awaitDrained(URI base) {
        long deadline = System.nanoTime() + DRAIN_PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode inbox = health(base).path("components").path("inbox");
            if (inbox.path("pending").asLong(-1) == 0 && inbox.path("processing").asLong(-1) == 0) {
                return;
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new IllegalStateException("the inbox did not drain within " + DRAIN_PATIENCE);
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
