package io.steadfast.load;

import io.steadfast.simulator.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** Kept-alive connections, each used by one platform thread at a time, to send a burst of requests at once. */
final class ConnectionPool implements AutoCloseable {
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();
    private final ExecutorService threads;

    ConnectionPool(URI base, int size) {
        idle = new ArrayBlockingQueue<>(size);
        threads = Executors.newFixedThreadPool(size);
        try {
            for (int i = 0; i < size; i++) {
                Connection c = new Connection(base);
                all.add(c);
                idle.add(c);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot connect to " + base + ": " + e.getMessage(), e);
        }
    }

    /** Sends every call, as many at once as there are connections; returns how many got a 2xx. */
    long sendAll(List<LoadClient.Call> calls) {
        AtomicLong ok = new AtomicLong();
        List<Future<?>> sent = new ArrayList<>();
        for (LoadClient.Call call : calls) {
            sent.add(threads.submit(() -> {
                Connection c = idle.take();
                try {
                    if (call.sendOn(c).status() / 100 == 2) {
                        ok.incrementAndGet();
                    }
                } finally {
                    idle.add(c);
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException("a request failed: " + e.getMessage(), e);
            }
        }
        return ok.get();
    }

    @Override
    public void close() {
        threads.shutdownNow();
        all.forEach(Connection::close);
    }
}
