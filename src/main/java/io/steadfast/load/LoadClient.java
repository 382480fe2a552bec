package io.steadfast.load;

import io.steadfast.error.SteadfastException;
import io.steadfast.simulator.Connection;
import io.steadfast.terminal.Progress;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives requests over a fixed set of keep-alive connections, one platform thread each (measured: about half
 * the CPU per request of virtual threads parking on every read), and records every
 * request's latency. Closed model: each connection sends its next request when the previous one is answered.
 * Open model: requests become due at a fixed rate and latency counts from when each was due, so a stalled
 * server cannot hide its queue (no coordinated omission).
 */
public final class LoadClient implements AutoCloseable {
    /** One request to send: where, the body (a POST; null for a GET), and extra headers as name/value pairs. */
    public record Call(String path, byte[] body, String... headers) {
        /** Sends this request on {@code connection} and reads its answer. */
        public Connection.Response sendOn(Connection connection) throws IOException {
            return connection.exchange(path, body, headers);
        }
    }

    /** What one phase measured. */
    record Outcome(long ok, long failed, Duration elapsed, Histogram latencyMicros) {
        double perSecond() {
            return ok / (elapsed.toNanos() / 1e9);
        }
    }

    private static final java.util.concurrent.ThreadFactory SENDERS = Thread.ofPlatform().name("load-sender-", 0).factory();

    private static final Duration STALE_AFTER = Duration.ofSeconds(5);

    private final URI base;
    private final List<Connection> connections = new ArrayList<>();

    LoadClient(URI base, int connections) {
        this.base = base;
        for (int i = 0; i < connections; i++) {
            this.connections.add(connect());
        }
    }

    /** Each connection sends request after request until {@code duration} is over. */
    Outcome closedLoop(Duration duration, LongFunction<Call> calls, Progress progress) {
        Counters counters = new Counters();
        AtomicLong sequence = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (ExecutorService senders = Executors.newFixedThreadPool(connections.size(), SENDERS)) {
            for (int i = 0; i < connections.size(); i++) {
                int slot = i;
                senders.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long sent = System.nanoTime();
                        send(slot, calls.apply(sequence.getAndIncrement()), counters);
                        counters.latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
                    }
                });
            }
            progress.until(deadline, counters.ok::get);
        }
        return counters.outcome(start);
    }

    /** Makes {@code ratePerSecond} requests due every second for {@code duration}, however the server keeps up. */
    Outcome openLoop(int ratePerSecond, Duration duration, LongFunction<Call> calls, Progress progress) {
        Counters counters = new Counters();
        long total = (long) ratePerSecond * duration.toSeconds();
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        BlockingQueue<Long> due = new ArrayBlockingQueue<>((int) Math.min(total, 1_000_000));
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newFixedThreadPool(connections.size(), SENDERS)) {
            for (int i = 0; i < connections.size(); i++) {
                int slot = i;
                senders.submit(() -> {
                    for (Long n = due.poll(60, TimeUnit.SECONDS); n != null && n >= 0; n = due.poll(60, TimeUnit.SECONDS)) {
                        send(slot, calls.apply(n), counters);
                        long dueAt = start + n * intervalNanos;
                        counters.latency.recordValue(Math.max(1, (System.nanoTime() - dueAt) / 1_000));
                    }
                    return null;
                });
            }
            Thread pacer = Thread.ofPlatform().name("load-pacer").start(() -> {
                for (long n = 0; n < total; n++) {
                    long wait = start + n * intervalNanos - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    due.add(n);
                }
                for (int i = 0; i < connections.size(); i++) {
                    due.add(-1L);
                }
            });
            progress.until(start + duration.toNanos(), counters.ok::get);
            joinQuietly(pacer);
        }
        return counters.outcome(start);
    }

    /**
     * Sends on the slot's connection. A connection idle for a while may have been closed by the server (its idle
     * timeout, say while a backlog drained between phases): its first failure is a stale connection, not an answer,
     * so the request goes again once on a new one.
     */
    private void send(int slot, Call call, Counters counters) {
        boolean mayBeStale = connections.get(slot).idle().compareTo(STALE_AFTER) > 0;
        try {
            if (call.sendOn(connections.get(slot)).status() / 100 == 2) {
                counters.ok.incrementAndGet();
            } else {
                counters.failed.incrementAndGet();
            }
        } catch (IOException e) {
            connections.get(slot).close();
            connections.set(slot, connect());
            if (mayBeStale) {
                send(slot, call, counters);
            } else {
                counters.failed.incrementAndGet();
            }
        }
    }

    private Connection connect() {
        try {
            return new Connection(base);
        } catch (IOException e) {
            throw new SteadfastException("unreachable", 503, "cannot connect to " + base + " (" + e.getMessage()
                    + "): is Steadfast running there? Start it with ./steadfast serve, or leave --url out to measure one"
                    + " started in this process", e);
        }
    }

    private static final class Counters {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Recorder latency = new Recorder(3);

        Outcome outcome(long start) {
            return new Outcome(ok.get(), failed.get(), Duration.ofNanos(System.nanoTime() - start), latency.getIntervalHistogram());
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        connections.forEach(Connection::close);
    }
}
