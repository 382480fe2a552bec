package io.steadfast.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.error.SteadfastException;
import io.steadfast.inbox.InboxStats;
import io.steadfast.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits until the target's inbox has nothing pending or in progress. Our own server is asked in-process with an
 * index probe every 10 ms. A deployment is asked through /health/detailed (its public counts) every 100 ms: each of those polls counts
 * the backlog, and counting it every few milliseconds would take CPU from the workers being measured.
 */
final class InboxDrain {
    static final Duration PATIENCE = Duration.ofMinutes(10);

    private final BooleanSupplier drained;
    private final long pollNanos;

    private InboxDrain(BooleanSupplier drained, Duration poll) {
        this.drained = drained;
        this.pollNanos = poll.toNanos();
    }

    /** Asks the node's database directly, whichever node {@code own} runs now (it may have been restarted). */
    static InboxDrain of(OwnNode own) {
        return new InboxDrain(() -> new InboxStats(own.node().database().jdbi()).drained(), Duration.ofMillis(10));
    }

    static InboxDrain of(URI base) {
        HttpClient http = HttpClient.newHttpClient();
        return new InboxDrain(() -> {
            JsonNode health = health(http, base);
            JsonNode inbox = health.path("components").path("inbox");
            long pending = inbox.path("pending").asLong(-1);
            long processing = inbox.path("processing").asLong(-1);
            if (pending == 0 && processing == 0) {
                return true;
            }
            if (health.path("workers_reporting").asLong(-1) == 0) {
                String leased = processing > 0 ? " (" + processing + " more are leased to a worker that stopped)" : "";
                throw new SteadfastException("no_workers", 503, "the inbox of " + base + " holds " + pending
                        + " pending events and no worker has reported lately" + leased + ", so it will not drain:"
                        + " start one (steadfast serve --role worker, or --role all) and run again");
            }
            return false;
        }, Duration.ofMillis(100));
    }

    void await() {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (drained.getAsBoolean()) {
                return;
            }
            LockSupport.parkNanos(pollNanos);
        }
        throw new IllegalStateException("the inbox did not drain within " + PATIENCE);
    }

    private static JsonNode health(HttpClient http, URI base) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("health/detailed")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + base + "health/detailed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
