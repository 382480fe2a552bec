package io.steadfast.db;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A NOTIFY sent once the transaction has committed, from a transaction of its own on another thread, and coalesced:
 * while one is being sent, the commits that ask for another share the next one.
 *
 * <p>Why not NOTIFY inside the transaction: PostgreSQL takes one lock for the notification queue at commit and holds
 * it through the commit's WAL flush, so every notifying transaction commits one after another (measured: about 200
 * accepted messages a second, each waiting on that lock). A NOTIFY on its own writes no WAL. Listeners only take a
 * notification as a hint to look, and look every second anyway, so a NOTIFY lost to a crash right after the commit
 * costs at most that second.
 */
public final class AfterCommitNotify {
    private static final Map<Jdbi, Map<String, Channel>> CHANNELS = Collections.synchronizedMap(new WeakHashMap<>());

    private AfterCommitNotify() {
    }

    /** Notifies {@code channel} once {@code tx} commits; nothing if it rolls back. */
    public static void afterCommit(Handle tx, String channel) {
        Jdbi jdbi = tx.getJdbi();
        Channel c = CHANNELS.computeIfAbsent(jdbi, j -> new ConcurrentHashMap<>()).computeIfAbsent(channel, Channel::new);
        tx.afterCommit(() -> c.request(jdbi));
    }

    private static final class Channel {
        private final String name;
        private final AtomicBoolean requested = new AtomicBoolean();
        private final AtomicBoolean sending = new AtomicBoolean();

        Channel(String name) {
            this.name = name;
        }

        /**
         * Makes sure a NOTIFY is sent after this call: starts a sender unless one is running, which will then send
         * another. The caller never waits, and never holds a second connection: the sender uses one at a time.
         */
        void request(Jdbi jdbi) {
            requested.set(true);
            if (sending.compareAndSet(false, true)) {
                Thread.ofVirtual().name("notify-" + name).start(() -> send(jdbi));
            }
        }

        private void send(Jdbi jdbi) {
            do {
                try {
                    while (requested.getAndSet(false)) {
                        jdbi.useHandle(h -> h.createQuery("SELECT pg_notify(:channel, '')").bind("channel", name)
                                .mapTo(String.class).one());
                    }
                } catch (RuntimeException e) {
                    // the database is away: listeners find the change at their next look
                } finally {
                    sending.set(false);
                }
            } while (requested.get() && sending.compareAndSet(false, true));
        }
    }
}
