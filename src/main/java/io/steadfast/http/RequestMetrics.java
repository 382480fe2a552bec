package io.steadfast.http;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Count and latency of every HTTP request, by method, route pattern (never the raw path, so ids do not multiply the
 * series) and status: {@code steadfast_http_requests_seconds} at /metrics.
 */
final class RequestMetrics implements RequestLogger {
    private record Key(String method, String route, int status) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(Context ctx, Float executionTimeMs) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        record(ctx.method().name(), endpoint == null ? "unmatched" : endpoint.path, ctx.statusCode(),
                (long) (executionTimeMs * 1_000_000));
    }

    void record(String method, String route, int status, long nanos) {
        timers.computeIfAbsent(new Key(method, route, status), k -> Timer.builder("steadfast.http.requests")
                        .description("HTTP requests by method, route and status")
                        .tag("method", k.method()).tag("route", k.route()).tag("status", Integer.toString(k.status()))
                        .register(registry))
                .record(Duration.ofNanos(nanos));
    }
}
