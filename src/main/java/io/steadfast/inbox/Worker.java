package io.steadfast.inbox;

import io.steadfast.db.Backoff;
import io.steadfast.db.DatabaseErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims a batch, applies each event with its handler and marks it done in the same transaction, fenced by the
 * lease token. A batch of one type shares one transaction; if it fails, its events are retried one per
 * transaction so that only the failing event is rescheduled or dead-lettered.
 */
public final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    /** How long a woken worker waits before claiming, so that events committed meanwhile join its batch. */
    public static final Duration LINGER = Duration.ofMillis(10);
    /** A pause to give way is cut short within this long once webhooks stop. */
    private static final Duration GIVE_WAY_SLICE = Duration.ofMillis(50);

    private final String id;
    private final Jdbi jdbi;
    private final Map<String, EventHandler> handlers;
    private final WorkerSettings settings;
    private final Clock clock;
    private final Wakeup wakeup;
    private final Claimer claimer;
    private final Rescheduler rescheduler;
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong leaseLost = new AtomicLong();
    private final AtomicLong givingWay = new AtomicLong();
    private volatile boolean stopping;
    private boolean paused;
    private volatile WorkerStatus status = WorkerStatus.STARTING;

    private final LeaseKeeper leaseKeeper;
    private final GiveWay giveWay;

    public Worker(String id, Jdbi jdbi, Map<String, EventHandler> handlers, WorkerSettings settings, Clock clock,
                  Wakeup wakeup) {
        this(id, jdbi, handlers, settings, clock, wakeup, new LeaseKeeper(jdbi, settings.lease(), clock), new GiveWay());
    }

    Worker(String id, Jdbi jdbi, Map<String, EventHandler> handlers, WorkerSettings settings, Clock clock,
           Wakeup wakeup, LeaseKeeper leaseKeeper, GiveWay giveWay) {
        this.leaseKeeper = leaseKeeper;
        this.giveWay = giveWay;
        this.id = id;
        this.jdbi = jdbi;
        this.handlers = Map.copyOf(handlers);
        this.settings = settings;
        this.clock = clock;
        this.wakeup = wakeup;
        this.claimer = new Claimer(jdbi);
        this.rescheduler = new Rescheduler(jdbi, settings.retryBackoff());
    }

    @Override
    public void run() {
        status = WorkerStatus.RUNNING;
        int failures = 0;
        while (!stopping) {
            try {
                awaitResumed();
                long seen = wakeup.generation();
                int claimed = runOnce();
                if (claimed > 0) {
                    giveWay();
                }
                if (claimed == settings.batchSize()) {
                    wakeup.signal(); // more is waiting: bring another worker in
                } else if (claimed > 0 && claimed < settings.batchSize() / 4 && !stopping) {
                    LockSupport.parkNanos(LINGER.toNanos()); // a small batch: let the next one gather
                } else if (claimed == 0 && !stopping) {
                    status = WorkerStatus.IDLE;
                    wakeup.awaitSignalAfter(seen, settings.pollInterval());
                    LockSupport.parkNanos(LINGER.toNanos()); // let a batch gather: fewer, larger transactions
                    wakeup.claiming();
                }
                failures = 0;
                status = WorkerStatus.RUNNING;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                status = DatabaseErrors.isUnavailable(e) ? WorkerStatus.WAITING_FOR_DATABASE : WorkerStatus.BACKING_OFF;
                long wait = Backoff.millisAfter(++failures);
                log.warn("Worker {}: {} ({}); trying again in {} ms", id, status.label(), e.getMessage(), wait);
                sleep(wait);
            }
        }
        status = WorkerStatus.STOPPED;
    }

    /** Pauses before the next batch while acknowledgements in this process need the CPU more (see {@link GiveWay}). */
    private void giveWay() {
        long start = System.nanoTime();
        long until = start + giveWay.pauseAfterBatch(start);
        long now = start;
        while (!stopping && now - until < 0 && giveWay.webhooksArriving(now)) {
            LockSupport.parkNanos(Math.min(until - now, GIVE_WAY_SLICE.toNanos()));
            now = System.nanoTime();
        }
        givingWay.addAndGet(now - start);
    }

    /** Claims and processes one batch; returns how many events it claimed. */
    public int runOnce() {
        Lease lease = claimer.claimAvailable(id, settings.batchSize(), clock.instant(), settings.lease());
        if (lease.isEmpty()) {
            return 0;
        }
        leaseKeeper.hold(lease);
        try {
            process(lease);
        } finally {
            leaseKeeper.release(lease.token());
        }
        return lease.events().size();
    }

    private void process(Lease lease) {
        List<InboxEvent> runnable = new ArrayList<>();
        for (InboxEvent event : lease.events()) {
            if (event.attempts() > settings.maxAttempts()) {
                giveUp(handlers.get(event.eventType()), event, lease, "gave up after " + settings.maxAttempts()
                        + " attempts: the worker holding this event stopped or ran past its lease every time");
            } else {
                runnable.add(event);
            }
        }
        Map<String, List<InboxEvent>> byType = new LinkedHashMap<>();
        runnable.forEach(e -> byType.computeIfAbsent(e.eventType(), t -> new ArrayList<>()).add(e));
        List<InboxEvent> unprocessed = new ArrayList<>(runnable);
        for (var group : byType.entrySet()) {
            if (stopping) {
                break;
            }
            EventHandler handler = handlers.get(group.getKey());
            if (handler == null) {
                group.getValue().forEach(e -> giveUp(null, e, lease, "no handler for event type '" + e.eventType() + "'"));
            } else {
                processGroup(handler, group.getValue(), lease);
            }
            unprocessed.removeAll(group.getValue());
        }
        if (!unprocessed.isEmpty()) {
            List<Long> ids = unprocessed.stream().map(InboxEvent::id).toList();
            jdbi.useHandle(h -> Claimer.releaseLeased(h, ids, lease.token()));
        }
    }

    private void processGroup(EventHandler handler, List<InboxEvent> events, Lease lease) {
        if (events.size() > 1) {
            try {
                applyAndComplete(handler, events, lease);
                processed.addAndGet(events.size());
                return;
            } catch (Completer.LeaseLost e) {
                leaseLost.incrementAndGet();
                List<InboxEvent> held = Claimer.stillLeased(jdbi, events, lease.token());
                log.debug("Worker {}: {}; {} are still ours", id, e.getMessage(), held.size());
                if (!held.isEmpty()) {
                    processGroup(handler, held, lease);
                }
                return;
            } catch (RuntimeException e) {
                if (DatabaseErrors.isUnavailable(e)) {
                    throw e;
                }
                log.debug("Worker {}: batch of {} failed ({}); applying one by one", id, events.size(), e.toString());
            }
        }
        for (InboxEvent event : events) {
            processOne(handler, event, lease);
        }
    }

    private void processOne(EventHandler handler, InboxEvent event, Lease lease) {
        try {
            applyAndComplete(handler, List.of(event), lease);
            processed.incrementAndGet();
        } catch (Completer.LeaseLost e) {
            leaseLost.incrementAndGet();
            log.debug("Worker {}: event {} was taken over by another worker; our writes rolled back", id, event.id());
        } catch (RuntimeException e) {
            if (DatabaseErrors.isUnavailable(e)) {
                throw e;
            }
            errors.incrementAndGet();
            String reason = describe(e);
            if (e instanceof PermanentFailure || event.attempts() >= settings.maxAttempts()) {
                String why = e instanceof PermanentFailure ? reason
                        : "failed " + event.attempts() + " times; last error: " + reason;
                giveUp(handler, event, lease, why);
            } else if (!rescheduler.rescheduleFailed(event, lease.token(), clock.instant(), reason)) {
                log.debug("Worker {}: event {} changed hands before it could be rescheduled", id, event.id());
            }
        }
    }

    private void applyAndComplete(EventHandler handler, List<InboxEvent> events, Lease lease) {
        List<Long> ids = events.stream().map(InboxEvent::id).toList();
        jdbi.useTransaction(tx -> {
            handler.handle(events, tx);
            Completer.completeIfLeased(tx, ids, lease.token(), clock.instant());
        });
    }

    /** Dead-letters an event we hold, and lets its handler (if any) record the failure in the same transaction. */
    private void giveUp(EventHandler handler, InboxEvent event, Lease lease, String reason) {
        boolean moved = jdbi.inTransaction(tx -> {
            if (!DeadLetters.deadLetter(tx, event.id(), lease.token(), clock.instant(), reason)) {
                return false;
            }
            if (handler != null) {
                handler.deadLettered(event, reason, tx);
            }
            return true;
        });
        if (moved) {
            log.warn("Worker {}: event {} ({} {}) moved to dead letters: {}", id, event.id(), event.eventType(),
                    event.dedupKey(), reason);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 2_000 ? message.substring(0, 2_000) : message;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Finish the current batch, give back what it has not started, then stop. */
    public void stop() {
        stopping = true;
        resume();
    }

    /** Claim nothing more until {@link #resume()}; the current batch finishes. */
    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    private synchronized void awaitResumed() throws InterruptedException {
        while (paused && !stopping) {
            status = WorkerStatus.PAUSED;
            wait();
        }
    }

    public String id() {
        return id;
    }

    public WorkerStatus status() {
        return status;
    }

    public long processedCount() {
        return processed.get();
    }

    public long errorsCount() {
        return errors.get();
    }

    /** Nanoseconds this worker has paused so that webhooks could be acknowledged first. */
    public long givingWayNanos() {
        return givingWay.get();
    }

    /** Commits refused because another worker had taken the lease over: second effects that fencing stopped. */
    public long leaseLostCount() {
        return leaseLost.get();
    }
}
