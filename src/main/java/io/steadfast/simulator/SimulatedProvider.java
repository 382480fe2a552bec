package io.steadfast.simulator;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every simulated send API shares: a log of every call it takes (how a test counts provider calls per message),
 * and the faults a test can set: numbers it refuses, numbers it takes and never answers, answers held back, and
 * outages (503s, taking nothing).
 *
 * @param <C> what the log keeps of one call
 */
public abstract class SimulatedProvider<C> implements AutoCloseable {
    /** What a call comes to, before its answer: refused as unavailable, refused as invalid, or taken. */
    protected enum Verdict { UNAVAILABLE, INVALID, TAKEN }

    private final List<C> calls = new CopyOnWriteArrayList<>();
    private final Set<String> invalidNumbers = ConcurrentHashMap.newKeySet();
    private final Set<String> swallowedNumbers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failuresToServe = new AtomicInteger();
    private volatile Duration answerDelay = Duration.ZERO;
    private volatile long unavailableUntilNanos = System.nanoTime();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Javalin app;

    /** Starts serving on a free port of the loopback interface; nobody can call before the port is read. */
    protected SimulatedProvider() {
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.concurrency.useVirtualThreads = true;
            routes(c.routes);
        }).start("127.0.0.1", 0);
    }

    /** The API's routes. */
    protected abstract void routes(RoutesConfig routes);

    /** What to do with a call to {@code to}: outages first, then the numbers refused. */
    protected Verdict verdict(String to) {
        if (failuresToServe.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || System.nanoTime() - unavailableUntilNanos < 0) {
            return Verdict.UNAVAILABLE;
        }
        return invalidNumbers.contains(to) ? Verdict.INVALID : Verdict.TAKEN;
    }

    protected void log(C call) {
        calls.add(call);
    }

    /** After taking a message to {@code to}: never answers a swallowed number, and holds answers back when told to. */
    protected void beforeAnswering(String to) throws InterruptedException {
        if (swallowedNumbers.contains(to)) {
            closing.await(); // took it; the answer never comes
            return;
        }
        if (!answerDelay.isZero()) {
            closing.await(answerDelay.toMillis(), TimeUnit.MILLISECONDS); // took it; answers late
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    /** Every call received, in order, with what the simulator did with it. */
    public List<C> calls() {
        return List.copyOf(calls);
    }

    /** Forgets the calls received so far. */
    public void forget() {
        calls.clear();
    }

    /** Refuses messages to this number (as the API gets it) as invalid. */
    public void invalid(String number) {
        invalidNumbers.add(number);
    }

    /** Takes messages to this number and never answers. */
    public void swallow(String number) {
        swallowedNumbers.add(number);
    }

    /** Takes each message at once but answers only after {@code delay} (zero: at once). */
    public void delayAnswers(Duration delay) {
        answerDelay = delay;
    }

    /** Answers every call 503 for {@code outage}, taking nothing. */
    public void unavailableFor(Duration outage) {
        unavailableUntilNanos = System.nanoTime() + outage.toNanos();
    }

    /** Answers the next {@code n} calls 503, taking nothing. */
    public void failNext(int n) {
        failuresToServe.set(n);
    }

    @Override
    public void close() {
        closing.countDown();
        app.stop();
    }
}
