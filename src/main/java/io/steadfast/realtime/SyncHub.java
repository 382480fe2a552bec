package io.steadfast.realtime;

import io.steadfast.db.Database;
import io.steadfast.db.NotificationListener;
import io.steadfast.json.Json;
import io.steadfast.db.BusinessScope;
import io.steadfast.realtime.Changes.Change;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes every committed change to the live clients of its business, however long its transaction stayed open.
 * Woken by NOTIFY from any node (and a poll), one thread reads the change log under one snapshot at a time (see
 * {@link Frontier}), renders each change once, and queues it for each client; each client's own thread writes to its
 * socket. Each message carries its {@code seq} and a {@code cursor}: a client that reconnects with the cursor of the
 * last message it received misses nothing, and may see a change twice (the same {@code seq}).
 */
public final class SyncHub implements AutoCloseable {
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    static final int PAGE = 1_000;
    /** Messages a client may have waiting before it is closed as too far behind. */
    public static final int DEFAULT_CLIENT_QUEUE = 10_000;
    private static final Logger log = LoggerFactory.getLogger(SyncHub.class);

    /** Renders the entity a change is about, as clients see it; empty when it no longer exists. */
    public interface Renderer {
        Optional<Object> render(Change change);
    }

    private final Jdbi jdbi;
    private final Renderer renderer;
    private final int clientQueue;
    private final Queue<Subscription> joining = new ConcurrentLinkedQueue<>();
    private final List<Subscription> clients = new ArrayList<>();
    private final Semaphore wake = new Semaphore(0);
    private final NotificationListener listener;
    private final Thread reader;
    private final Frontier frontier = new Frontier(0);
    private boolean started;
    private volatile int clientCount;
    private volatile boolean running = true;

    public SyncHub(Database database, Renderer renderer) {
        this(database, renderer, DEFAULT_CLIENT_QUEUE);
    }

    public SyncHub(Database database, Renderer renderer, int clientQueue) {
        this.jdbi = database.jdbi();
        this.renderer = renderer;
        this.clientQueue = clientQueue;
        this.reader = Thread.ofPlatform().name("sync-hub").daemon().start(this::readLoop);
        this.listener = NotificationListener.start(database, Changes.CHANNEL, "sync-listener", this::wake);
    }

    /**
     * Adds a live client. With {@code since}, it first gets every change of its business after that cursor; without,
     * every change that commits from now on.
     */
    public Subscription subscribe(Subscription.Sink sink, Optional<Long> since) {
        Subscription client = new Subscription(sink, since.orElse(-1L), clientQueue);
        client.start();
        joining.add(client);
        wake();
        return client;
    }

    /** Live clients as of the last read. */
    public int clientCount() {
        return clientCount;
    }

    private void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void readLoop() {
        while (running) {
            try {
                wake.tryAcquire(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                while (running && readOnce()) {
                    // a full page: read on at once
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.debug("Cannot read the change log now: {}", e.getMessage());
            }
        }
    }

    /** One read under one snapshot, then delivery; true when a page was full and there is more to read. */
    boolean readOnce() {
        if (started) {
            admitJoining();
        }
        clients.removeIf(c -> !c.isOpen());
        clientCount = clients.size();
        long markBefore = frontier.maxSeen();
        boolean live = started && !clients.isEmpty();
        Read read = jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> read(h, live, markBefore));
        // rendered before the frontier moves: a render that fails (its database query) repeats the whole read
        Map<Long, Optional<Object>> entities = live ? renderAll(read) : Map.of();
        frontier.advance(read.highest, read.inProgress);
        started = true;
        if (live) {
            deliver(read, markBefore, entities);
        }
        return read.fresh.size() == PAGE || read.catchUp.values().stream().anyMatch(page -> page.size() == PAGE);
    }

    private record Read(List<Long> inProgress, long highest, List<Change> fresh, List<Change> late,
                        Map<Subscription, List<Change>> catchUp) {
    }

    private Read read(Handle h, boolean live, long mark) {
        List<Long> inProgress = Changes.inProgress(h); // the first statement: it fixes the snapshot
        BusinessScope.actForAll(h); // each client is handed its own business's changes below
        if (!live) { // nobody to tell: skip ahead instead of reading every change
            return new Read(inProgress, Changes.latestSeq(h), List.of(), List.of(), Map.of());
        }
        List<Change> fresh = Changes.after(h, mark, PAGE);
        List<Change> late = frontier.awaited().isEmpty() ? List.of() : Changes.writtenBy(h, frontier.awaited(), mark);
        Map<Subscription, List<Change>> catchUp = new HashMap<>();
        for (Subscription client : clients) {
            if (client.position < mark) {
                catchUp.put(client, Changes.between(h, client.businessId(), client.position, mark, PAGE));
            }
        }
        long highest = fresh.isEmpty() ? mark : fresh.getLast().seq();
        return new Read(inProgress, highest, fresh, late, catchUp);
    }

    /** New clients without a cursor start at the mark: from now on, plus what is still to commit below it. */
    private void admitJoining() {
        for (Subscription client; (client = joining.poll()) != null; ) {
            if (client.position < 0) {
                client.position = frontier.maxSeen();
            }
            clients.add(client);
            client.announceReady();
        }
    }

    /**
     * Each client gets, in seq order: changes below its position that just became visible, its catch-up page, and,
     * once caught up, the changes read past the mark.
     */
    /** Each change of the read that some client's business needs, as clients see its entity. */
    private Map<Long, Optional<Object>> renderAll(Read read) {
        java.util.Set<Long> businesses = new java.util.HashSet<>();
        clients.forEach(c -> businesses.add(c.businessId()));
        Map<Long, Optional<Object>> entities = new HashMap<>();
        List<Change> all = new java.util.ArrayList<>(read.fresh);
        all.addAll(read.late);
        read.catchUp.values().forEach(all::addAll);
        for (Change c : all) {
            if (businesses.contains(c.businessId()) && !entities.containsKey(c.seq())) {
                entities.put(c.seq(), renderer.render(c));
            }
        }
        return entities;
    }

    private void deliver(Read read, long markBefore, Map<Long, Optional<Object>> entities) {
        long cursor = frontier.cursor();
        Map<Long, Optional<String>> rendered = new HashMap<>();
        for (Subscription client : clients) {
            List<Change> page = read.catchUp.getOrDefault(client, List.of());
            for (Change c : read.late) {
                if (c.seq() <= client.position) {
                    send(client, c, cursor, rendered, entities);
                }
            }
            for (Change c : page) {
                send(client, c, cursor, rendered, entities);
            }
            if (!page.isEmpty()) {
                client.position = page.getLast().seq();
            }
            if (page.size() < PAGE && client.position <= markBefore) {
                client.position = markBefore;
                for (Change c : read.fresh) {
                    send(client, c, cursor, rendered, entities);
                }
                client.position = frontier.maxSeen();
            }
        }
    }

    private void send(Subscription client, Change c, long cursor, Map<Long, Optional<String>> rendered,
                      Map<Long, Optional<Object>> entities) {
        if (c.businessId() != client.businessId()) {
            return;
        }
        long messageCursor = Math.min(cursor, c.seq());
        rendered.computeIfAbsent(c.seq(), seq -> message(c, messageCursor,
                        entities.containsKey(seq) ? entities.get(seq) : renderer.render(c)))
                .ifPresent(text -> client.offer(text, messageCursor));
    }

    /** The message clients get for a change; empty when its entity no longer exists. */
    private static Optional<String> message(Change c, long cursor, Optional<Object> entity) {
        return entity.map(e -> {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", c.kind());
            message.put("seq", c.seq());
            message.put("cursor", cursor);
            message.put("changed_at", c.changedAt().toString());
            message.put(c.kind(), e);
            return Json.write(message);
        });
    }

    @Override
    public void close() {
        running = false;
        listener.close();
        reader.interrupt();
        clients.forEach(Subscription::close);
        joining.forEach(Subscription::close);
    }
}
