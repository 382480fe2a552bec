package io.steadfast.load.plan;

import io.steadfast.load.LoadClient;
import io.steadfast.simulator.Connection;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The open model: requests arrive on the {@link Profile}'s schedule whatever the server does, wait for one of a fixed
 * set of keep-alive connections, and each one's latency counts from when it was due, so a server that stalls cannot
 * hide its queue behind a waiting client (no coordinated omission). What is still waiting for a connection
 * {@link #GRACE} after the schedule ends is counted as failed.
 */
public final class OpenLoad {
    static final Duration GRACE = Duration.ofSeconds(30);

    /** One request of a run: which series it counts in, what to send, and how to judge its answer. */
    public record Request(String series, LoadClient.Call call, Expect expect) {
        public Request(String series, LoadClient.Call call) {
            this(series, call, SUCCESS);
        }
    }

    /** Says why an answer is a failure, or null when it is what was expected. */
    @FunctionalInterface
    public interface Expect {
        String failure(Connection.Response response);
    }

    public static final Expect SUCCESS = r -> r.status() / 100 == 2 ? null : "HTTP " + r.status();

    /** The n-th request of a run (n from 0), and the second of the run it is due at. */
    @FunctionalInterface
    public interface Traffic {
        Request request(long n, double second);
    }

    /** What a run measured: its series and how long it took. */
    public record Result(Map<String, Series> series, Duration elapsed, long late) {
        public List<Stats> stats() {
            double seconds = elapsed.toNanos() / 1e9;
            return series.values().stream().map(s -> s.stats(seconds)).toList();
        }
    }

    private record Arrival(long n, double second, long dueNanos) {
    }

    private static final Arrival END = new Arrival(-1, 0, 0);

    private final URI base;
    private final int connections;

    public OpenLoad(URI base, int connections) {
        this.base = base;
        this.connections = connections;
    }

    /**
     * Runs the schedule; {@code series} names the series in the order the report shows them; {@code measuredElsewhere}
     * are series recorded by the caller (deliveries to live clients), closed each second with the others.
     */
    public Result run(String label, Profile profile, Traffic traffic, List<String> series, Series... measuredElsewhere) {
        Map<String, Series> bySeries = new LinkedHashMap<>();
        series.forEach(s -> bySeries.put(s, new Series(s)));
        for (Series s : measuredElsewhere) {
            bySeries.put(s.name(), s);
        }
        LinkedBlockingQueue<Arrival> due = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        long end = start + profile.duration().toNanos();
        long giveUp = end + GRACE.toNanos();
        LongAdder late = new LongAdder();
        AtomicLong waiting = new AtomicLong();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            senders.add(Thread.ofPlatform().name("load-plan-sender-" + i).start(() -> send(due, waiting, traffic, bySeries, giveUp, late)));
        }
        Thread pacer = Thread.ofPlatform().name("load-plan-pacer").start(() -> pace(profile, start, due, waiting));
        Ticker ticker = new Ticker(bySeries.values(), start);
        LiveLine line = new LiveLine(label, profile, start);
        while (pacer.isAlive() || senders.stream().anyMatch(Thread::isAlive)) {
            LockSupport.parkNanos(Math.min(ticker.nextTickNanos(), line.nextDrawNanos()) - System.nanoTime());
            ticker.tickIfDue();
            line.drawIfDue(bySeries.values(), waiting.get());
        }
        ticker.finish();
        line.done();
        due.clear();
        return new Result(bySeries, Duration.ofNanos(Math.max(System.nanoTime(), end) - start), late.sum());
    }

    private void pace(Profile profile, long start, LinkedBlockingQueue<Arrival> due, AtomicLong waiting) {
        double seconds = profile.duration().toNanos() / 1e9;
        double last = 0;
        for (long n = 0; profile.arrivalsBy(seconds) >= n + 1; n++) {
            double at = firstSecondWith(profile, n + 1, last, seconds);
            last = at;
            long dueNanos = start + (long) (at * 1e9);
            long wait = dueNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            waiting.incrementAndGet();
            due.add(new Arrival(n, at, dueNanos));
        }
        for (int i = 0; i < connections; i++) {
            due.add(END);
        }
    }

    /** The first second by which {@code count} arrivals are due (binary search: arrivalsBy only grows). */
    private static double firstSecondWith(Profile profile, long count, double low, double high) {
        for (int i = 0; i < 50 && high - low > 1e-7; i++) {
            double mid = (low + high) / 2;
            if (profile.arrivalsBy(mid) >= count) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return high;
    }

    private void send(LinkedBlockingQueue<Arrival> due, AtomicLong waiting, Traffic traffic, Map<String, Series> series,
                      long giveUp, LongAdder late) {
        Connection connection = null;
        try {
            for (Arrival a = due.poll(1, TimeUnit.HOURS); a != null && a != END; a = due.poll(1, TimeUnit.HOURS)) {
                waiting.decrementAndGet();
                Request request = traffic.request(a.n(), a.second());
                Series s = series.get(request.series());
                if (System.nanoTime() > giveUp) {
                    s.record(System.nanoTime() / 1000 - a.dueNanos() / 1000, "not sent within " + GRACE.toSeconds()
                            + " s of the end: every connection was still waiting for an answer (the server answered"
                            + " slower than requests arrived)");
                    continue;
                }
                if (System.nanoTime() - a.dueNanos() > 100_000_000L) {
                    late.increment();
                }
                String failure;
                try {
                    if (connection == null) {
                        connection = new Connection(base);
                    }
                    failure = request.expect().failure(request.call().sendOn(connection));
                } catch (IOException e) {
                    failure = "no answer: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
                    if (connection != null) {
                        connection.close();
                    }
                    connection = null;
                }
                s.record((System.nanoTime() - a.dueNanos()) / 1000, failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** Closes a second of every series once a second. */
    private static final class Ticker {
        private final Iterable<Series> series;
        private final long start;
        private long next;

        Ticker(Iterable<Series> series, long start) {
            this.series = series;
            this.start = start;
            this.next = start + 1_000_000_000L;
        }

        long nextTickNanos() {
            return next;
        }

        void tickIfDue() {
            while (System.nanoTime() >= next) {
                double second = (next - start) / 1e9;
                series.forEach(s -> s.tick(second));
                next += 1_000_000_000L;
            }
        }

        /** Closes the last, partial second. */
        void finish() {
            tickIfDue();
            double second = (System.nanoTime() - start) / 1e9;
            series.forEach(s -> s.tick(second));
        }
    }
}
