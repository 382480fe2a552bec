package io.steadfast.inbox;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one process, each on its own thread, plus their heartbeat: it reports them in the registry and
 * renews the leases of batches still in progress.
 */
public final class Workers implements AutoCloseable {
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final WorkerRegistry registry;
    private final Clock clock;
    private final Wakeup wakeup;
    private final String host = hostName();
    private final long pid = ProcessHandle.current().pid();
    private final LeaseKeeper leaseKeeper;
    private final Duration beatInterval;
    private final Thread heartbeat;
    private volatile boolean running = true;

    /** {@code giveWay}: the appender of the same process, if there is one, tells the workers when to give way. */
    public Workers(int count, Jdbi jdbi, Map<String, EventHandler> handlers, WorkerSettings settings, Clock clock,
                   Wakeup wakeup, GiveWay giveWay, MeterRegistry metrics) {
        this.registry = new WorkerRegistry(jdbi);
        this.clock = clock;
        this.wakeup = wakeup;
        this.leaseKeeper = new LeaseKeeper(jdbi, settings.lease(), clock);
        this.beatInterval = java.util.Collections.min(List.of(HEARTBEAT_INTERVAL, leaseKeeper.interval()));
        for (int i = 0; i < count; i++) {
            Worker worker = new Worker(host + "/" + pid + "/w" + i, jdbi, handlers, settings, clock, wakeup, leaseKeeper,
                    giveWay);
            workers.add(worker);
            threads.add(Thread.ofPlatform().name("inbox-worker-" + i).start(worker));
        }
        FunctionCounter.builder("steadfast.inbox.processed", this, w -> w.workers.stream().mapToLong(Worker::processedCount).sum())
                .register(metrics);
        FunctionCounter.builder("steadfast.inbox.handler.errors", this, w -> w.workers.stream().mapToLong(Worker::errorsCount).sum())
                .register(metrics);
        FunctionCounter.builder("steadfast.inbox.lease.lost", this, w -> w.workers.stream().mapToLong(Worker::leaseLostCount).sum())
                .description("commits refused by fencing: another worker had taken the lease over").register(metrics);
        FunctionCounter.builder("steadfast.inbox.gave.way.seconds", this,
                        w -> w.workers.stream().mapToLong(Worker::givingWayNanos).sum() / 1e9)
                .description("time workers paused between batches so that webhooks were acknowledged first").register(metrics);
        heartbeat = Thread.ofPlatform().name("inbox-heartbeat").daemon().start(this::heartbeatLoop);
    }

    /** Stops claiming (batches in progress finish); events wait in the inbox until {@link #resume()}. */
    public void pause() {
        workers.forEach(Worker::pause);
    }

    /**
     * Pauses, and waits until every worker has finished its batch and stands paused; false if one is still busy after
     * {@code patience}.
     */
    public boolean pauseAndSettle(java.time.Duration patience) {
        pause();
        wakeup.signalAll(); // idle workers wake to find themselves paused
        long deadline = System.nanoTime() + patience.toNanos();
        while (workers.stream().anyMatch(w -> w.status() != WorkerStatus.PAUSED && w.status() != WorkerStatus.STOPPED)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(5).toNanos());
        }
        return true;
    }

    public void resume() {
        workers.forEach(Worker::resume);
        wakeup.signalAll();
    }

    public List<Worker> list() {
        return List.copyOf(workers);
    }

    private void heartbeatLoop() {
        while (running) {
            beat();
            try {
                Thread.sleep(beatInterval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void beat() {
        try {
            leaseKeeper.renew();
        } catch (RuntimeException e) {
            log.debug("renewing leases failed: {}", e.getMessage());
        }
        for (Worker worker : workers) {
            try {
                registry.heartbeat(worker, host, pid, clock.instant());
            } catch (RuntimeException e) {
                log.debug("heartbeat of {} failed: {}", worker.id(), e.getMessage());
            }
        }
    }

    /** Lets every worker finish its batch (giving back what it has not started), then reports them stopped. */
    @Override
    public void close() {
        running = false;
        heartbeat.interrupt();
        workers.forEach(Worker::stop);
        wakeup.signalAll();
        for (Thread t : threads) {
            try {
                if (!t.join(Duration.ofSeconds(30))) {
                    log.warn("{} did not finish its batch within 30 s; its lease will expire and another worker takes over", t.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        beat();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
