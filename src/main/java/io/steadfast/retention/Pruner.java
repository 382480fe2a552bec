package io.steadfast.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is past its retention, on a timer, in the worker processes. One process prunes at a time (an advisory
 * lock); each batch is one short transaction that does not wait for its WAL flush, and {@link Pacing} rests after it,
 * so pruning a backlog of millions does not hold ingestion up.
 */
public final class Pruner implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofMinutes(10);
    static final Duration FIRST_RUN = Duration.ofMinutes(1);
    private static final long LOCK_KEY = 0x5354_4544_5052_554EL; // "STEDPRUN"
    private static final Logger log = LoggerFactory.getLogger(Pruner.class);

    /** A sweep and how long its rows are kept. */
    public record Rule(Sweep sweep, Duration keep) {
    }

    private final Jdbi jdbi;
    private final List<Rule> rules;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;

    public Pruner(Jdbi jdbi, List<Rule> rules, Clock clock) {
        this.jdbi = jdbi;
        this.rules = List.copyOf(rules);
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("retention").daemon().unstarted(this::loop);
    }

    /** Prunes on a timer until closed. */
    public Pruner start() {
        thread.start();
        return this;
    }

    private void loop() {
        Duration wait = FIRST_RUN;
        while (running) {
            LockSupport.parkNanos(wait.toNanos());
            if (!running) {
                return;
            }
            try {
                Map<String, Long> deleted = runOnce();
                if (deleted.values().stream().anyMatch(n -> n > 0)) {
                    log.info("Retention: deleted {}", deleted);
                }
            } catch (RuntimeException e) {
                log.warn("Retention: pruning failed ({}); trying again in {}", e.getMessage(), INTERVAL);
            }
            wait = INTERVAL;
        }
    }

    /**
     * One pass over every rule, unless another process is pruning now; returns the rows deleted per sweep (empty
     * when another process holds the lock).
     */
    public Map<String, Long> runOnce() {
        try (Handle lock = jdbi.open()) {
            if (!lock.createQuery("SELECT pg_try_advisory_lock(:key)").bind("key", LOCK_KEY).mapTo(Boolean.class).one()) {
                return Map.of();
            }
            try {
                Map<String, Long> deleted = new LinkedHashMap<>();
                Instant now = clock.instant();
                Pacing pacing = new Pacing(() -> running);
                for (Rule rule : rules) {
                    deleted.put(rule.sweep().name(), rule.sweep().sweep(jdbi, now.minus(rule.keep()), pacing));
                }
                return deleted;
            } finally {
                lock.createQuery("SELECT pg_advisory_unlock(:key)").bind("key", LOCK_KEY).mapTo(Boolean.class).one();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
