package io.steadfast.load.plan;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Samples the target's own {@code /metrics} once a second while a run goes on: process CPU, heap in use, live
 * threads, database sessions (every node's, from PostgreSQL), the pool's busy connections and the inbox depth. The
 * same for a deployment behind {@code --url} as for one started in this process (which also holds the load
 * generator: its CPU and heap are in the figures).
 */
public final class Resources implements AutoCloseable {
    /** One sample; NaN where the target did not say. */
    public record Sample(double second, double cpu, double heapMb, double threads, double databaseConnections,
                         double poolActive, double poolMax, double inboxPending) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private final long start = System.nanoTime();
    private volatile boolean stopped;
    private boolean first = true;

    public Resources(URI base) {
        this.metrics = base.resolve("/metrics");
        this.sampler = Thread.ofPlatform().daemon().name("load-plan-resources").start(this::sampleEverySecond);
    }

    private void sampleEverySecond() {
        long next = System.nanoTime();
        while (!stopped) {
            Sample s = sample((System.nanoTime() - start) / 1e9);
            if (s != null) {
                synchronized (samples) {
                    samples.add(s);
                }
            }
            next += 1_000_000_000L;
            java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
    }

    private Sample sample(double second) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            String text = r.body();
            // the gauge is the CPU used since the previous scrape: the first one covers whatever came before the run
            double cpu = first ? Double.NaN : sum(text, "process_cpu_usage", "") * 100;
            first = false;
            return new Sample(second, cpu,
                    sum(text, "jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024),
                    sum(text, "jvm_threads_live_threads", ""), sum(text, "steadfast_database_connections", ""),
                    sum(text, "hikaricp_connections_active", ""), sum(text, "hikaricp_connections_max", ""),
                    sum(text, "steadfast_inbox_pending", ""));
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The sum of a metric's samples whose labels contain {@code label} (NaN when it has none). */
    static double sum(String text, String metric, String label) {
        double total = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(metric) && (line.length() > metric.length())
                    && (line.charAt(metric.length()) == ' ' || line.charAt(metric.length()) == '{')
                    && line.contains(label)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? total : Double.NaN;
    }

    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The highest value of one measure over the run. */
    public static OptionalDouble peak(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> measure) {
        return samples.stream().mapToDouble(measure).filter(v -> !Double.isNaN(v)).max();
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
    }
}
