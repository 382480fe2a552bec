package io.steadfast.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** Waiting for the workers to drain the inbox. */
public final class Inbox {
    private Inbox() {
    }

    /** Waits until no event is pending or being processed. */
    public static void awaitDrained(Db db, Duration patience) {
        await().atMost(patience).pollInterval(Duration.ofMillis(50)).until(() ->
                db.count("SELECT count(*) FROM inbox_event WHERE status IN ('pending', 'processing')") == 0);
    }

    public static void awaitDrained(Db db) {
        awaitDrained(db, Duration.ofSeconds(60));
    }
}
