package io.steadfast.load.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One kind of request in a run (a scenario may mix several, each judged by its own thresholds): every latency in an
 * HdrHistogram, and a point per second for the charts.
 */
public final class Series {
    /** One second of a series: answered well, not, and the latency percentiles of that second (ms). */
    public record Point(double second, long ok, long failed, double p50, double p95, double p99, double max) {
    }

    private final String name;
    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final List<Point> points = new ArrayList<>();
    private long okMark;
    private long failedMark;
    private Histogram interval;

    Series(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Records one request: its latency from when it was due, and why it failed (null when it did not). */
    public void record(long latencyMicros, String failure) {
        recorder.recordValue(Math.max(1, latencyMicros));
        if (failure == null) {
            ok.incrementAndGet();
        } else {
            failed.incrementAndGet();
            failures.computeIfAbsent(failure, f -> new LongAdder()).increment();
        }
    }

    /** Closes the current second: called once a second by one thread. */
    synchronized void tick(double second) {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        long okNow = ok.get();
        long failedNow = failed.get();
        boolean empty = interval.getTotalCount() == 0;
        points.add(new Point(second, okNow - okMark, failedNow - failedMark,
                empty ? 0 : interval.getValueAtPercentile(50) / 1000.0, empty ? 0 : interval.getValueAtPercentile(95) / 1000.0,
                empty ? 0 : interval.getValueAtPercentile(99) / 1000.0, empty ? 0 : interval.getMaxValue() / 1000.0));
        okMark = okNow;
        failedMark = failedNow;
    }

    synchronized Stats stats(double seconds) {
        return Stats.of(name, ok.get(), failed.get(), total, seconds);
    }

    synchronized List<Point> points() {
        return List.copyOf(points);
    }

    /** Latency (ms) at each of the usual percentiles, for the distribution chart. */
    synchronized Map<Double, Double> distribution() {
        Map<Double, Double> d = new TreeMap<>();
        if (total.getTotalCount() == 0) {
            return d;
        }
        for (double p : new double[] {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100}) {
            d.put(p, total.getValueAtPercentile(p) / 1000.0);
        }
        return d;
    }

    /** Why requests failed, with how many each, most first. */
    Map<String, Long> failures() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        failures.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
        return out;
    }

    long okCount() {
        return ok.get();
    }

    long failedCount() {
        return failed.get();
    }
}
