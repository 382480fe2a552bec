package io.steadfast.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.db.DatabaseUnavailableException;
import io.steadfast.db.DatabaseUrl;
import io.steadfast.support.Db;
import io.steadfast.support.Probes;
import io.steadfast.support.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group commit: requests share commits, and none is answered before the commit that holds it. */
class AppenderTest {
    static Db db;
    static Db otherConnection;
    SimpleMeterRegistry metrics;
    AtomicInteger notified;
    Appender appender;

    @BeforeAll
    static void database() {
        DatabaseUrl url = TestPostgres.freshDatabase();
        db = new Db(url);
        otherConnection = new Db(url);
    }

    @AfterAll
    static void close() {
        db.close();
        otherConnection.close();
    }

    @BeforeEach
    void clean() {
        db.execute("TRUNCATE inbox_event, webhook_request CASCADE");
        metrics = new SimpleMeterRegistry();
        notified = new AtomicInteger();
        appender = new Appender(db.database().jdbi(), Duration.ofSeconds(30), metrics, notified::incrementAndGet);
    }

    @Test
    void concurrent_requests_share_commits_and_each_is_visible_when_it_is_answered() throws Exception {
        int requests = 400;
        List<Future<Boolean>> visibleOnReturn = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                String key = "k" + i;
                visibleOnReturn.add(pool.submit(() -> {
                    AppendResult r = append(List.of(Probes.event(key, "{}")));
                    return r.accepted() == 1 && otherConnection.count(
                            "SELECT count(*) FROM inbox_event WHERE dedup_key = ?", key) == 1;
                }));
            }
            for (Future<Boolean> f : visibleOnReturn) {
                assertThat(f.get()).isTrue();
            }
        }
        long commits = metrics.timer("steadfast.inbox.commit").count();
        assertThat(commits).as("commits for %d requests", requests).isLessThan(requests / 2);
        assertThat(db.count("SELECT count(*) FROM inbox_event")).isEqualTo(requests);
        assertThat(db.count("SELECT count(*) FROM webhook_delivery")).isEqualTo(requests);
        assertThat(notified.get()).isPositive();
    }

    @Test
    void the_same_event_in_many_concurrent_requests_is_accepted_once() throws Exception {
        List<Future<AppendResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> append(List.of(Probes.event("same", "{}"), Probes.event("same", "{}")))));
            }
            int accepted = 0;
            int duplicates = 0;
            for (Future<AppendResult> f : results) {
                accepted += f.get().accepted();
                duplicates += f.get().duplicates();
            }
            assertThat(accepted).isEqualTo(1);
            assertThat(duplicates).isEqualTo(399);
        }
        assertThat(db.count("SELECT count(*) FROM inbox_event")).isEqualTo(1);
    }

    @Test
    void an_event_keeps_the_raw_request_it_came_in() {
        byte[] body = "{\"raw\": true}".getBytes();
        appender.append(new IncomingRequest(UUID.randomUUID(), "probe", Map.of("x-hub-signature-256", "sha256=ab"), body,
                Instant.parse("2030-01-01T00:00:00Z")), List.of(Probes.event("r", "{\"n\": 1}")));

        var row = db.rows("SELECT r.body, r.headers::text AS headers, e.payload::text AS payload, e.received_at "
                + "FROM inbox_event e JOIN webhook_delivery r ON r.id = e.request_id").getFirst();
        assertThat((byte[]) row.get("body")).isEqualTo(body);
        assertThat(row.get("headers")).isEqualTo("{\"x-hub-signature-256\":\"sha256=ab\"}");
        assertThat(row.get("payload")).as("kept exactly as given").isEqualTo("{\"n\": 1}");
        assertThat(((java.sql.Timestamp) row.get("received_at")).toInstant()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void a_request_with_one_new_event_is_one_row_and_any_other_request_is_kept_beside_its_events() {
        byte[] single = "{\"single\": true}".getBytes();
        byte[] several = "{\"several\": true}".getBytes();
        byte[] again = "{\"again\": true}".getBytes();
        Map<String, String> headers = Map.of("x-hub-signature-256", "sha256=cd");
        appender.append(IncomingRequest.of("probe", headers, single, Instant.now()), List.of(Probes.event("one", "{}")));
        appender.append(IncomingRequest.of("probe", headers, several, Instant.now()),
                List.of(Probes.event("two", "{}"), Probes.event("three", "{}")));
        appender.append(IncomingRequest.of("probe", headers, again, Instant.now()), List.of(Probes.event("one", "{}")));

        assertThat(db.rows("SELECT body FROM inbox_event WHERE dedup_key = 'one' AND headers IS NOT NULL"))
                .extracting(r -> r.get("body")).containsExactly((Object) single);
        assertThat(db.count("SELECT count(*) FROM inbox_event WHERE dedup_key <> 'one' AND body IS NULL AND request_id = "
                + "(SELECT id FROM webhook_request WHERE body = ?)", (Object) several)).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM webhook_request WHERE body = ?", (Object) again))
                .as("a repeated delivery is kept for audit").isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM webhook_request")).as("nothing else written twice").isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM webhook_delivery")).as("every delivery, wherever kept").isEqualTo(3);
    }

    @Test
    void a_commit_the_database_does_not_confirm_in_time_is_refused_and_its_late_commit_is_a_duplicate_for_the_retry() {
        try (Appender impatient = new Appender(db.database().jdbi(), Duration.ofMillis(300), metrics, () -> { });
             var locker = otherConnection.database().jdbi().open()) {
            locker.begin();
            locker.execute("LOCK TABLE inbox_event IN ACCESS EXCLUSIVE MODE");
            long started = System.nanoTime();
            var request = new IncomingRequest(UUID.randomUUID(), "probe", Map.of(), new byte[0], Instant.now());

            assertThatThrownBy(() -> impatient.append(request, List.of(Probes.event("late", "{}"))))
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageContaining("did not confirm the commit within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(2));

            locker.rollback();
            await().atMost(Duration.ofSeconds(10)).until(() -> db.count("SELECT count(*) FROM inbox_event") == 1);
            AppendResult retry = impatient.append(new IncomingRequest(UUID.randomUUID(), "probe", Map.of(), new byte[0],
                    Instant.now()), List.of(Probes.event("late", "{}")));
            assertThat(retry).isEqualTo(new AppendResult(0, 1));
        }
    }

    private AppendResult append(List<NewEvent> events) {
        return appender.append(new IncomingRequest(UUID.randomUUID(), "probe", Map.of(), new byte[0], Instant.now()), events);
    }
}
