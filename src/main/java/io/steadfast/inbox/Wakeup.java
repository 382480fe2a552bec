package io.steadfast.inbox;

import io.steadfast.db.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes idle workers when new events are committed: by PostgreSQL NOTIFY from any node, or directly by the
 * appender of this process. Workers also poll on a timer, so a lost notification only delays work.
 */
public final class Wakeup implements AutoCloseable {
    public static final String CHANNEL = "inbox_ready";
    private static final Logger log = LoggerFactory.getLogger(Wakeup.class);

    private long generation;
    private int waiting;
    private boolean wakePending;
    private volatile boolean running = true;
    private Thread listener;

    /**
     * Marks that new work may exist and wakes one waiting worker, unless one is already on its way to claim. A
     * worker that finds a full batch signals again, so the number of busy workers follows the backlog instead of
     * every commit waking all of them for a handful of events each.
     */
    public synchronized void signal() {
        generation++;
        if (!wakePending && waiting > 0) {
            wakePending = true;
            notify();
        }
    }

    /** Wakes every waiting worker (shutting down). */
    synchronized void signalAll() {
        generation++;
        notifyAll();
    }

    /** The woken worker is claiming now: the next signal may wake another one. */
    synchronized void claiming() {
        wakePending = false;
    }

    synchronized long generation() {
        return generation;
    }

    /** Waits until a signal newer than {@code seen} arrives, or the timeout passes. */
    synchronized void awaitSignalAfter(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long remaining;
        waiting++;
        try {
            while (running && generation == seen && (remaining = deadline - System.nanoTime()) > 0) {
                wait(Math.max(1, remaining / 1_000_000));
            }
        } finally {
            waiting--;
        }
    }

    /** Listens for NOTIFY on a dedicated connection, reconnecting with back-off while the database is away. */
    public void listenTo(Database database) {
        listener = Thread.ofPlatform().name("inbox-listener").daemon().start(() -> listenLoop(database));
    }

    private void listenLoop(Database database) {
        long backoffMs = 250;
        boolean warned = false;
        while (running) {
            try (Connection connection = database.openDedicatedConnection("steadfast-listener");
                 Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                if (warned) {
                    log.info("Listening for new inbox events again");
                    warned = false;
                }
                backoffMs = 250;
                signal(); // anything committed while we were not listening
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null && notifications.length > 0) {
                        signal();
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                if (!warned) {
                    log.warn("Lost the inbox notification connection ({}); polling until it is back", e.getMessage());
                    warned = true;
                }
                sleepQuietly(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        signalAll();
        if (listener != null) {
            listener.interrupt();
        }
    }
}
