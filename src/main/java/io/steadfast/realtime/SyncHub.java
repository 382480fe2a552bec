package io.steadfast.realtime;

import io.steadfast.db.Database;
import io.steadfast.db.NotificationListener;
import io.steadfast.realtime.Changes.Change;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes every committed change to the live clients of its business. Woken by NOTIFY from any node (and by a
 * one-second poll), it reads the change log past its high-water mark.
 *
 * <p>Sequence numbers are taken when a transaction writes, not when it commits, so a lower one can become visible
 * after a higher one. The hub pushes each change the moment it sees it, and moves its high-water mark past a gap
 * only once the gap is filled or has stayed open for {@link #GAP_PATIENCE} (a rolled-back transaction leaves a gap
 * forever). Each message carries its {@code seq} and a {@code cursor} below which everything has been delivered; a
 * client that reconnects with that cursor misses nothing and may see a change twice (the same {@code seq}).
 */
public final class SyncHub implements AutoCloseable {
    public static final Duration GAP_PATIENCE = Duration.ofSeconds(5);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    static final int PAGE = 1_000;
    private static final Logger log = LoggerFactory.getLogger(SyncHub.class);

    /** A live client. */
    public interface Subscriber {
        long businessId();

        /** Sends one message; false when the client is gone. */
        boolean send(Map<String, Object> message);
    }

    /** Renders the entity a change is about, as clients see it; empty when it no longer exists. */
    public interface Renderer {
        Optional<Object> render(Change change);
    }

    private final Jdbi jdbi;
    private final Renderer renderer;
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final TreeSet<Long> pushedAboveMark = new TreeSet<>();
    private final Map<Long, Long> gapSeenAt = new HashMap<>();
    private final NotificationListener listener;
    private final Thread poller;
    private long highWater;

    public SyncHub(Database database, Renderer renderer) {
        this.jdbi = database.jdbi();
        this.renderer = renderer;
        this.highWater = Changes.latestSeq(jdbi);
        this.listener = NotificationListener.start(database, Changes.CHANNEL, "sync-listener", this::pumpQuietly);
        this.poller = Thread.ofPlatform().name("sync-poller").daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(POLL_INTERVAL);
                } catch (InterruptedException e) {
                    return;
                }
                pumpQuietly();
            }
        });
    }

    /**
     * Adds a live client; with {@code since}, first replays every change of its business after that cursor. The
     * client is live before the replay starts, so nothing falls between the two (a change may come twice).
     */
    public void subscribe(String id, Subscriber subscriber, Optional<Long> since) {
        subscribers.put(id, subscriber);
        if (since.isEmpty()) {
            return;
        }
        long after = since.get();
        while (true) {
            List<Change> page = Changes.after(jdbi, after, subscriber.businessId(), PAGE);
            for (Change c : page) {
                long cursor;
                synchronized (this) {
                    cursor = Math.min(c.seq(), highWater);
                }
                Optional<Map<String, Object>> message = message(c, cursor);
                if (message.isPresent() && !subscriber.send(message.get())) {
                    subscribers.remove(id);
                    return;
                }
                after = c.seq();
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    public void unsubscribe(String id) {
        subscribers.remove(id);
    }

    private void pumpQuietly() {
        try {
            pump();
        } catch (RuntimeException e) {
            log.debug("Cannot read the change log now: {}", e.getMessage());
        }
    }

    synchronized void pump() {
        if (subscribers.isEmpty()) { // nobody to tell: skip ahead instead of reading every change
            highWater = Math.max(highWater, Changes.latestSeq(jdbi));
            pushedAboveMark.clear();
            gapSeenAt.clear();
            return;
        }
        List<Change> page;
        do {
            page = Changes.after(jdbi, highWater, 0, PAGE);
            for (Change c : page) {
                if (c.seq() > highWater && pushedAboveMark.add(c.seq())) {
                    broadcast(c);
                }
            }
            advanceMark();
        } while (page.size() == PAGE);
    }

    /** Moves the mark over every delivered change and every gap that has waited long enough. */
    private void advanceMark() {
        long now = System.nanoTime();
        long top = pushedAboveMark.isEmpty() ? highWater : pushedAboveMark.last();
        for (long s = highWater + 1; s < top; s++) {
            if (!pushedAboveMark.contains(s)) {
                gapSeenAt.putIfAbsent(s, now);
            }
        }
        while (true) {
            long next = highWater + 1;
            if (pushedAboveMark.remove(next)) {
                highWater = next;
                gapSeenAt.remove(next);
            } else if (gapSeenAt.containsKey(next) && now - gapSeenAt.get(next) >= GAP_PATIENCE.toNanos()) {
                gapSeenAt.remove(next);
                highWater = next;
            } else {
                return;
            }
        }
    }

    /** Sends one change to every client of its business, rendered once for all of them. */
    private void broadcast(Change c) {
        Optional<Map<String, Object>> message = Optional.empty();
        for (var entry : subscribers.entrySet()) {
            if (entry.getValue().businessId() != c.businessId()) {
                continue;
            }
            if (message.isEmpty()) {
                message = message(c, highWater);
                if (message.isEmpty()) {
                    return;
                }
            }
            if (!entry.getValue().send(message.get())) {
                subscribers.remove(entry.getKey());
            }
        }
    }

    /** The message clients get for a change; empty when its entity no longer exists. */
    private Optional<Map<String, Object>> message(Change c, long cursor) {
        return renderer.render(c).map(entity -> {
            Map<String, Object> message = new java.util.LinkedHashMap<>();
            message.put("type", c.kind());
            message.put("seq", c.seq());
            message.put("cursor", cursor);
            message.put("changed_at", c.changedAt().toString());
            message.put(c.kind(), entity);
            return message;
        });
    }

    @Override
    public void close() {
        listener.close();
        poller.interrupt();
    }
}
