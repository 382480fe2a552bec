package io.steadfast.web;

import io.steadfast.inbox.InboxStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox's depth and its oldest pending event's age, sampled every {@link #INTERVAL} for the last {@link #KEPT}:
 * what the health page draws. The counts come from the database, so any node's samples describe the whole deployment.
 */
public final class HealthHistory implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofSeconds(10);
    public static final Duration KEPT = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(HealthHistory.class);

    /** One sample; a database that could not be read leaves a gap rather than a zero. */
    public record Sample(Instant at, long pending, long processing, long dead, double oldestPendingAgeSeconds) {
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("at", at.toString());
            json.put("pending", pending);
            json.put("processing", processing);
            json.put("dead", dead);
            json.put("oldest_pending_age_seconds", oldestPendingAgeSeconds);
            return json;
        }
    }

    private final InboxStats stats;
    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("health-history").factory());

    public HealthHistory(InboxStats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
        this.capacity = (int) (KEPT.toSeconds() / INTERVAL.toSeconds());
        timer.scheduleWithFixedDelay(this::sample, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    void sample() {
        try {
            Instant now = clock.instant();
            InboxStats.Snapshot s = stats.snapshot(now);
            add(new Sample(now, s.pending(), s.processing(), s.dead(), s.oldestPendingAge().toMillis() / 1000.0));
        } catch (RuntimeException e) {
            log.debug("health sample skipped: {}", e.getMessage());
        }
    }

    private synchronized void add(Sample sample) {
        if (samples.size() == capacity) {
            samples.removeFirst();
        }
        samples.addLast(sample);
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** {@code GET /health/history}: the samples, oldest first, with the interval they were taken at. */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("interval_seconds", INTERVAL.toSeconds());
        json.put("items", samples().stream().map(Sample::json).toList());
        return json;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
