package io.steadfast.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.inbox.PermanentFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;

/**
 * A deliberately non-idempotent handler: every time it runs and commits, it adds one row to {@code probe_effect}.
 * If the engine ever applied an event twice, the table would show it. Its payload can ask it to fail:
 * {@code {"fail_until_attempt": n}} fails while the attempt is at most n; {@code {"permanent": true}} fails for good.
 */
public final class ProbeHandler implements EventHandler {
    public static final String TYPE = "probe";
    public static final String CREATE_TABLE = """
            CREATE TABLE IF NOT EXISTS probe_effect (
                event_id   bigint      NOT NULL,
                worker     text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
            );
            CREATE TABLE IF NOT EXISTS probe_gate (
                worker text PRIMARY KEY,
                open   boolean NOT NULL
            )""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String worker;
    private final BiConsumer<List<InboxEvent>, Handle> beforeWrite;

    public ProbeHandler(String worker) {
        this(worker, (events, tx) -> { });
    }

    public ProbeHandler(String worker, BiConsumer<List<InboxEvent>, Handle> beforeWrite) {
        this.worker = worker;
        this.beforeWrite = beforeWrite;
    }

    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        beforeWrite.accept(events, tx);
        for (InboxEvent e : events) {
            JsonNode payload = parse(e.payload());
            if (payload.path("permanent").asBoolean(false)) {
                throw new PermanentFailure("probe " + e.dedupKey() + " is marked permanent");
            }
            if (e.attempts() <= payload.path("fail_until_attempt").asInt(0)) {
                throw new IllegalStateException("probe " + e.dedupKey() + " fails on attempt " + e.attempts());
            }
        }
        tx.createUpdate("INSERT INTO probe_effect (event_id, worker) SELECT unnest(:ids), :worker")
                .bindArray("ids", Long.class, events.stream().map(InboxEvent::id).toList())
                .bind("worker", worker)
                .execute();
    }

    /**
     * Holds the batch, inside its transaction, while {@code probe_gate} has a closed gate for this worker: a test
     * closes the gate to keep a worker mid-batch (to kill or freeze it there) and opens it to let it go on.
     */
    public static void waitAtGate(String worker, Handle tx) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(10)).pollInSameThread()
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> tx.createQuery("SELECT count(*) FROM probe_gate WHERE worker = :worker AND NOT open")
                        .bind("worker", worker).mapTo(Long.class).one() == 0);
    }

    private static JsonNode parse(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
