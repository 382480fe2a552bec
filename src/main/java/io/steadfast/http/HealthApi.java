package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steadfast.db.Database;
import io.steadfast.inbox.InboxStats;
import io.steadfast.inbox.Worker;
import io.steadfast.inbox.WorkerRegistry;
import io.steadfast.inbox.WorkerRegistry.WorkerInfo;
import io.steadfast.inbox.Workers;
import io.steadfast.outbound.OutboundMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Liveness, a component-by-component health report, and Prometheus metrics. */
final class HealthApi {
    /** A worker that has not reported for this long is not listed: its process is gone. */
    static final Duration WORKER_SILENCE = Workers.HEARTBEAT_INTERVAL.multipliedBy(5);

    private final Database database;
    private final InboxStats inboxStats;
    private final WorkerRegistry registry;
    private final Optional<Workers> localWorkers;
    private final PrometheusMeterRegistry metrics;
    private final Clock clock;
    private final Map<String, Object> settings;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private final AtomicLong oldestPendingAgeSeconds = new AtomicLong();
    /** Sent messages whose provider call may or may not have gone through: a person, or a status webhook, settles them. */
    private final AtomicLong outboundUnknown = new AtomicLong();
    private final AtomicLong databaseUp = new AtomicLong();
    /** Sessions open on this database, from every node and tool: what a pool leak or a connection storm shows in. */
    private final AtomicLong databaseConnections = new AtomicLong();

    private final Authentication auth;

    HealthApi(Database database, Optional<Workers> localWorkers, PrometheusMeterRegistry metrics, Clock clock,
              Map<String, Object> settings, Authentication auth) {
        this.auth = auth;
        this.database = database;
        this.inboxStats = new InboxStats(database.jdbi());
        this.registry = new WorkerRegistry(database.jdbi());
        this.localWorkers = localWorkers;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = Map.copyOf(settings);
        metrics.gauge("steadfast.inbox.pending", pending);
        metrics.gauge("steadfast.inbox.dead", dead);
        metrics.gauge("steadfast.inbox.oldest.pending.age.seconds", oldestPendingAgeSeconds);
        metrics.gauge("steadfast.database.up", databaseUp);
        metrics.gauge("steadfast.database.connections", databaseConnections);
        metrics.gauge("steadfast.outbound.unknown", outboundUnknown);
    }

    void register(RoutesConfig routes) {
        routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        routes.get("/health/detailed", this::detailed);
        routes.get("/metrics", this::metrics);
    }

    /**
     * Without a token: status and counts (each worker's status and counters included), which a load balancer or an
     * uptime check may see. With the API token: also the database URL and version, this node's settings, and each
     * worker's id, pid and last heartbeat.
     */
    private void detailed(Context ctx) {
        boolean full = auth.operatorPresented(ctx);
        Instant now = clock.instant();
        Map<String, Object> components = new LinkedHashMap<>();
        long started = System.nanoTime();
        boolean up = database.isReachable();
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("status", up ? "up" : "down");
        if (full) {
            db.put("url", database.url().display());
        }
        if (up && full) {
            db.put("version", database.serverVersion());
            db.put("latency_ms", (System.nanoTime() - started) / 1_000_000.0);
        }
        components.put("database", db);
        List<Object> workers = new ArrayList<>();
        if (up) {
            InboxStats.Snapshot s = inboxStats.snapshot(now);
            Map<String, Object> inbox = new LinkedHashMap<>();
            inbox.put("pending", s.pending());
            inbox.put("processing", s.processing());
            inbox.put("dead", s.dead());
            inbox.put("oldest_pending_age_seconds", s.oldestPendingAge().toMillis() / 1000.0);
            components.put("inbox", inbox);
            for (WorkerInfo w : registry.recent(now.minus(WORKER_SILENCE))) {
                workers.add(workerJson(w.id(), w.pid(), w.status(), w.processedCount(), w.errorsCount(),
                        w.leaseLostCount(), w.heartbeatAt().toString(), full));
            }
        } else {
            for (Worker w : localWorkers.map(Workers::list).orElse(List.of())) {
                workers.add(workerJson(w.id(), ProcessHandle.current().pid(), w.status().label(), w.processedCount(),
                        w.errorsCount(), w.leaseLostCount(), null, full));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "healthy" : "unhealthy");
        body.put("timestamp", now.toString());
        body.put("components", components);
        body.put("workers_reporting", workers.size());
        if (full) {
            body.put("role", settings.get("role"));
            body.put("settings", new java.util.TreeMap<>(settings));
        }
        body.put("workers", workers);
        ctx.status(up ? 200 : 503).json(body);
    }

    /** The inbox and outbound gauges are read from the database at each scrape, so they hold for every process sharing it. */
    private void metrics(Context ctx) {
        boolean up = database.isReachable();
        databaseUp.set(up ? 1 : 0);
        if (up) {
            InboxStats.Snapshot s = inboxStats.snapshot(clock.instant());
            pending.set(s.pending());
            dead.set(s.dead());
            oldestPendingAgeSeconds.set(s.oldestPendingAge().toSeconds());
            outboundUnknown.set(OutboundMessages.countUnknown(database.jdbi()));
            databaseConnections.set(database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()").mapTo(Long.class).one()));
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private static Map<String, Object> workerJson(String id, long pid, String status, long processed, long errors,
                                                  long leaseLost, String heartbeat, boolean identified) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (identified) { // which host and process it runs in: only with the API token
            json.put("id", id);
            json.put("pid", pid);
            json.put("heartbeat_at", heartbeat);
        }
        json.put("status", status);
        json.put("processed_count", processed);
        json.put("errors_count", errors);
        json.put("lease_lost_count", leaseLost);
        return json;
    }
}
