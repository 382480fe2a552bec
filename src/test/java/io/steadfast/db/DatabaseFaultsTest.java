package io.steadfast.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steadfast.config.Config;
import io.steadfast.node.Node;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.Db;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL misbehaving under traffic: connections killed, the server restarted, the server down. An event that
 * was acknowledged is stored and applied exactly once; one that was not is stored at most once.
 */
class DatabaseFaultsTest {
    static final WhatsAppPayloads META = new WhatsAppPayloads("106540352242922", "15550783881");
    EmbeddedPostgres postgres;
    Node node;
    Http http;
    Db db;

    @BeforeEach
    void start() {
        postgres = EmbeddedPostgres.startOrAttach(TestPostgres.tempDir("steadfast-faults").resolve("pgdata"), 0);
        DatabaseUrl url = DatabaseUrl.parse(postgres.jdbcUrl());
        node = TestNodes.start(TestNodes.with(TestNodes.settings(url), Config.LEASE_MS, "3000", Config.ACK_TIMEOUT_MS, "5000"));
        http = new Http(node.port());
        db = new Db(url);
    }

    @AfterEach
    void stop() {
        node.close();
        db.close();
        postgres.close();
    }

    enum Outcome { OK, FAIL, UNKNOWN }

    @Test
    void connections_killed_and_the_server_restarted_mid_traffic_lose_and_double_nothing() throws Exception {
        Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        int killed = 0;
        try (ExecutorService senders = Executors.newFixedThreadPool(8)) {
            for (int s = 0; s < 8; s++) {
                senders.submit(() -> {
                    while (sending.get()) {
                        int n = next.getAndIncrement();
                        outcomes.put(n, Outcome.UNKNOWN);
                        try {
                            Http.Response r = http.postWebhook(message(n));
                            outcomes.put(n, r.status() == 200 ? Outcome.OK : Outcome.FAIL);
                            if (r.status() == 503) {
                                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                                unavailable.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            outcomes.put(n, Outcome.UNKNOWN);
                        }
                    }
                });
            }
            for (int round = 0; round < 10; round++) {
                awaitMoreAcknowledged(outcomes, 100);
                killed += terminateConnections();
            }
            awaitMoreAcknowledged(outcomes, 100);
            postgres.restart();
            awaitMoreAcknowledged(outcomes, 300);
            sending.set(false);
        }
        Inbox.awaitDrained(db, Duration.ofSeconds(90));

        long ok = outcomes.values().stream().filter(o -> o == Outcome.OK).count();
        System.out.printf("sent %d: ok %d, failed %d (503: %d), unknown %d; connections killed %d%n", outcomes.size(), ok,
                outcomes.values().stream().filter(o -> o == Outcome.FAIL).count(), unavailable.get(),
                outcomes.values().stream().filter(o -> o == Outcome.UNKNOWN).count(), killed);
        assertThat(killed).as("connections killed").isPositive();
        assertThat(ok).isGreaterThan(1_000);
        for (var entry : outcomes.entrySet()) {
            long stored = db.count("SELECT count(*) FROM message WHERE external_id = ?", "wamid.F" + entry.getKey());
            if (entry.getValue() == Outcome.OK) {
                assertThat(stored).as("acknowledged wamid.F%d", entry.getKey()).isEqualTo(1);
            } else {
                assertThat(stored).as("unacknowledged wamid.F%d", entry.getKey()).isLessThanOrEqualTo(1);
            }
        }
        assertThat(db.count("SELECT count(*) FROM message")).isEqualTo(db.count("SELECT count(DISTINCT external_id) FROM message"));
        assertThat(db.count("SELECT count(*) FROM inbox_event")).isEqualTo(db.count("SELECT count(*) FROM message"));
        assertThat(db.count("SELECT count(*) FROM inbox_event WHERE status <> 'done'")).isZero();
    }

    @Test
    void while_the_database_is_down_webhooks_get_503_with_retry_after_and_nothing_is_acknowledged() {
        postgres.stop();

        Http.Response down = http.postWebhook(message(1));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).contains("5");
        assertThat(down.json().get("error").asText()).isEqualTo("database_unavailable");
        assertThat(down.json().get("message").asText()).contains("send this webhook again");
        assertThat(http.get("/health/detailed").status()).isEqualTo(503);
        assertThat(http.get("/health").status()).as("the process itself is alive").isEqualTo(200);

        postgres.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> http.postWebhook(message(1)).status() == 200);
        Inbox.awaitDrained(db);
        assertThat(db.count("SELECT count(*) FROM message WHERE external_id = 'wamid.F1'")).isEqualTo(1);
        assertThat(http.get("/health/detailed").status()).isEqualTo(200);
    }

    private int terminateConnections() {
        return (int) db.count("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE datname = 'steadfast' AND pid <> pg_backend_pid() AND application_name LIKE 'steadfast-all%') t");
    }

    private static void awaitMoreAcknowledged(Map<Integer, Outcome> outcomes, int more) {
        long target = outcomes.values().stream().filter(o -> o == Outcome.OK).count() + more;
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.values().stream().filter(o -> o == Outcome.OK).count() >= target);
    }

    private static byte[] message(int n) {
        return META.messages(List.of(new Message("wamid.F" + n, "1555" + (n % 100), "F" + (n % 100), 1_700_000_000L + n, "m" + n)));
    }
}
