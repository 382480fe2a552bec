package io.steadfast.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on one channel over a dedicated connection and runs a callback for each batch of notifications, and
 * once more after every (re)connect, since anything may have been committed while nobody listened. Reconnects
 * with back-off while the database is away; callers poll as well, so a lost notification only delays them.
 */
public final class NotificationListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

    private final Database database;
    private final String channel;
    private final Runnable onNotify;
    private final Thread thread;
    private volatile boolean running = true;

    private NotificationListener(Database database, String channel, Runnable onNotify, String threadName) {
        this.database = database;
        this.channel = channel;
        this.onNotify = onNotify;
        this.thread = Thread.ofPlatform().name(threadName).daemon().unstarted(this::listenLoop);
    }

    /** {@code channel} must be a plain identifier: it is part of the LISTEN statement. */
    public static NotificationListener start(Database database, String channel, String threadName, Runnable onNotify) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        NotificationListener listener = new NotificationListener(database, channel, onNotify, threadName);
        listener.thread.start();
        return listener;
    }

    private void listenLoop() {
        int failures = 0;
        boolean warned = false;
        while (running) {
            try (Connection connection = database.openDedicatedConnection("steadfast-listener");
                 Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + channel);
                if (warned) {
                    log.info("Listening on {} again", channel);
                    warned = false;
                }
                failures = 0;
                onNotify.run();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null && notifications.length > 0) {
                        onNotify.run();
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                if (!warned) {
                    log.warn("Lost the {} notification connection ({}); polling until it is back", channel, e.getMessage());
                    warned = true;
                }
                try {
                    Thread.sleep(Backoff.millisAfter(++failures));
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
