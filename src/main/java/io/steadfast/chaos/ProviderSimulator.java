package io.steadfast.chaos;

import io.steadfast.simulator.Connection;
import io.steadfast.simulator.Sendable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends webhooks the way Meta does: each request signed with the app secret; a request that does not get a 200 is
 * retried at once, then less and less often (Meta's schedule compressed from days into seconds), until it is
 * acknowledged or the schedule runs out. Every attempt goes into the {@link History}. Requests go over kept-alive
 * {@link Connection}s, each used by one attempt at a time, opened as attempts need them.
 */
public final class ProviderSimulator implements AutoCloseable {
    /** Waits before each retry: immediately, then with decreasing frequency. */
    public static final List<Duration> RETRY_SCHEDULE = List.of(Duration.ZERO, Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(4), Duration.ofSeconds(8));
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A connection idle this long is closed rather than reused: the server may have closed it meanwhile. */
    private static final Duration REUSE_WITHIN = Duration.ofSeconds(5);
    private static final int MAX_IDLE = 256;

    private final URI base;
    private final Sendable.Secrets secrets;
    private final History history;
    private final BlockingDeque<Connection> idle = new LinkedBlockingDeque<>(MAX_IDLE);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();

    public ProviderSimulator(URI baseUrl, Sendable.Secrets secrets, History history) {
        this.base = baseUrl;
        this.secrets = secrets;
        this.history = history;
    }

    /**
     * Sends {@code requests} {@code GET /health} over {@code connections} connections, recording nothing, so that a
     * scenario timing a burst measures the deployment rather than this sender's first minutes (its JIT, its new
     * connections): a provider's sender has long been running when a burst comes.
     */
    public void warmUp(int requests, int connections) {
        AtomicLong left = new AtomicLong(requests);
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < connections; c++) {
                senders.submit(() -> {
                    while (left.decrementAndGet() >= 0) {
                        exchange("/health", null, Map.of());
                    }
                    return null;
                });
            }
        }
    }

    /** Deliveries whose attempts have ended, acknowledged or not. */
    public long finished() {
        return finished.get();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    /** Sends every delivery, {@code concurrency} at a time, each retried until acknowledged or out of retries. */
    public void deliverAll(List<? extends Sendable> deliveries, int concurrency) {
        deliverAll(deliveries, concurrency, Duration.ZERO);
    }

    /**
     * As {@link #deliverAll(List, int)}, but the first attempts are spread evenly over {@code spread}: traffic that is
     * still flowing when a scenario strikes, whatever the scale.
     */
    public void deliverAll(List<? extends Sendable> deliveries, int concurrency, Duration spread) {
        LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        for (int i = 0; i < deliveries.size(); i++) {
            queue.add(i);
        }
        long start = System.nanoTime();
        long gap = deliveries.isEmpty() ? 0 : spread.toNanos() / deliveries.size();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int p = 0; p < Math.max(1, concurrency); p++) {
                int process = p;
                senders.submit(() -> {
                    for (Integer i = queue.poll(); i != null; i = queue.poll()) {
                        long due = start + i * gap - System.nanoTime();
                        if (due > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(due);
                        }
                        deliver(process, deliveries.get(i));
                    }
                });
            }
        }
    }

    /** One delivery, with retries; true when it was acknowledged. */
    public boolean deliver(int process, Sendable delivery) {
        try {
            for (Duration wait : RETRY_SCHEDULE) {
                if (!wait.isZero()) {
                    Thread.sleep(wait);
                }
                if (attempt(process, delivery)) {
                    acknowledged.incrementAndGet();
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            finished.incrementAndGet();
        }
    }

    private boolean attempt(int process, Sendable delivery) {
        Map<String, String> headers = delivery.headers(secrets);
        History.Op op = history.invoke(process, delivery.id(), delivery.keys());
        try {
            Connection.Response response = exchange(delivery.path(), delivery.body(), headers);
            int status = response.status();
            if (status / 100 == 2) {
                op.ok(status);
                return true;
            }
            if (status / 100 == 4) {
                op.fail(status, response.bodyText());
            } else {
                op.info(status, response.bodyText());
            }
            return false;
        } catch (IOException e) {
            op.info(0, e.getClass().getSimpleName() + ": " + e.getMessage());
            return false;
        }
    }

    /** One request on an idle connection recently used, or a new one; the connection is kept if it can serve again. */
    private Connection.Response exchange(String path, byte[] body, Map<String, String> headers) throws IOException {
        Connection connection = idle.pollFirst();
        while (connection != null && connection.idle().compareTo(REUSE_WITHIN) > 0) {
            connection.close();
            connection = idle.pollFirst();
        }
        if (connection == null) {
            connection = new Connection(base, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
        }
        String[] pairs = new String[headers.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            pairs[i++] = h.getKey();
            pairs[i++] = h.getValue();
        }
        try {
            Connection.Response response = connection.exchange(path, body, pairs);
            if (response.closing() || !idle.offerFirst(connection)) {
                connection.close();
            }
            return response;
        } catch (IOException e) {
            connection.close();
            throw e;
        }
    }

    /** Closes the connections kept for reuse; attempts still running close theirs when they end. */
    @Override
    public void close() {
        for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
            c.close();
        }
    }
}
