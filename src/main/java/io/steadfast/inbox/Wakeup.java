package io.steadfast.inbox;

import io.steadfast.db.Database;
import io.steadfast.db.NotificationListener;
import java.time.Duration;

/**
 * Wakes idle workers when new events are committed: by PostgreSQL NOTIFY from any node, or directly by the
 * appender of this process. Workers also poll on a timer, so a lost notification only delays work.
 */
public final class Wakeup implements AutoCloseable {
    public static final String CHANNEL = "inbox_ready";

    private long generation;
    private int waiting;
    private boolean wakePending;
    private volatile boolean running = true;
    private NotificationListener listener;

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
        listener = NotificationListener.start(database, CHANNEL, "inbox-listener", this::signal);
    }

    @Override
    public void close() {
        running = false;
        signalAll();
        if (listener != null) {
            listener.close();
        }
    }
}
