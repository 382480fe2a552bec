package io.steadfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steadfast.chaos.JavaProcess;
import io.steadfast.config.Config;
import io.steadfast.db.DatabaseUrl;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.Db;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.Processes;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code steadfast serve} as users run it: real processes, real signals, the embedded database on disk. */
class ServeProcessTest {
    static final WhatsAppPayloads META = new WhatsAppPayloads("106540352242922", "15550783881");
    final List<JavaProcess> children = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        children.forEach(JavaProcess::destroy);
    }

    JavaProcess serve(String name, Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        JavaProcess child = Processes.startJava(name, Steadfast.class.getName(), env, all.toArray(String[]::new));
        children.add(child);
        return child;
    }

    static int awaitPort(JavaProcess child) {
        Pattern url = Pattern.compile("URL\\s+http://\\S+:(\\d+)");
        int[] port = new int[1];
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(child.isAlive()).as(child.output()).isTrue();
            Matcher m = url.matcher(child.output());
            if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
                return true;
            }
            return false;
        });
        return port[0];
    }

    @Test
    void serve_on_the_embedded_database_keeps_every_acknowledged_event_across_a_sigterm_and_a_restart() throws Exception {
        Path dataDir = TestPostgres.tempDir("steadfast-serve");
        Map<String, String> env = Map.of(Config.DATA_DIR, dataDir.toString(), Config.PORT, "0",
                Config.WHATSAPP_APP_SECRET, TestNodes.APP_SECRET, Config.API_TOKEN, TestNodes.API_TOKEN);
        JavaProcess first = serve("serve-first", env);
        Http http = new Http(awaitPort(first));
        assertThat(first.output()).contains("embedded PostgreSQL").contains(dataDir.resolve("pgdata").toString())
                .contains("Generated secrets").contains(Config.WHATSAPP_VERIFY_TOKEN + "=");

        List<Integer> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        try (ExecutorService senders = Executors.newFixedThreadPool(8)) {
            for (int s = 0; s < 8; s++) {
                senders.submit(() -> {
                    while (true) {
                        int n = next.getAndIncrement();
                        try {
                            int status = http.postWebhook(META.messages(List.of(new Message("wamid.P" + n, "1555000000",
                                    "Pat", 1_700_000_000L + n, "m" + n)))).status();
                            if (status != 200) {
                                return;
                            }
                            acknowledged.add(n);
                        } catch (RuntimeException e) {
                            return; // the server stopped listening
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 200);
            first.signal("TERM");
        }
        assertThat(first.waitFor(Duration.ofSeconds(60))).isEqualTo(143);
        assertThat(first.output()).contains("stopped");
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(200);

        JavaProcess second = serve("serve-second", env);
        Http again = new Http(awaitPort(second));
        assertThat(second.output()).doesNotContain("Generated secrets");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int n : acknowledged) {
                assertThat(again.get("/v1/messages?external_id=wamid.P" + n).json().get("items")).as("wamid.P" + n).hasSize(1);
            }
        });
        assertThat(again.get("/health/detailed").json().at("/components/inbox/processing").asInt()).isZero();
        assertThat(second.terminate(Duration.ofSeconds(60))).isEqualTo(143);
    }

    @Test
    void ingest_and_two_worker_processes_share_one_database_and_apply_ten_thousand_events_once() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase();
        Map<String, String> env = TestNodes.settings(url);
        JavaProcess ingest = serve("ingest", env, "--role", "ingest");
        JavaProcess workerA = serve("worker-a", env, "--role", "worker");
        JavaProcess workerB = serve("worker-b", env, "--role", "worker");
        Http http = new Http(awaitPort(ingest));
        try (Db db = new Db(url); ExecutorService senders = Executors.newFixedThreadPool(16)) {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    db.count("SELECT count(DISTINCT pid) FROM inbox_worker WHERE status IN ('idle', 'running')") == 2);
            List<Future<Integer>> sent = new ArrayList<>();
            for (int r = 0; r < 1_000; r++) {
                List<Message> messages = new ArrayList<>();
                for (int k = 0; k < 10; k++) {
                    int n = r * 10 + k;
                    messages.add(new Message("wamid.W" + n, "1555" + (n % 500), "C" + (n % 500), 1_700_000_000L + n, "m"));
                }
                sent.add(senders.submit(() -> http.postWebhook(META.messages(messages)).json().get("accepted").asInt()));
            }
            int accepted = 0;
            for (Future<Integer> f : sent) {
                accepted += f.get();
            }
            Inbox.awaitDrained(db, Duration.ofSeconds(120));

            assertThat(accepted).isEqualTo(10_000);
            assertThat(db.count("SELECT count(*) FROM message")).isEqualTo(10_000);
            assertThat(db.count("SELECT count(*) FROM inbox_event WHERE status = 'done'")).isEqualTo(10_000);
            assertThat(db.count("SELECT count(DISTINCT pid) FROM inbox_worker WHERE processed_count > 0"))
                    .as("both worker processes took part").isEqualTo(2);
            assertThat(db.count("SELECT count(*) FROM inbox_worker WHERE pid = ?", ingest.pid())).as("ingest runs no workers").isZero();
        }
        assertThat(ingest.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        assertThat(workerA.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        assertThat(workerB.terminate(Duration.ofSeconds(60))).isEqualTo(143);
    }

    @Test
    void after_a_sigkill_the_next_serve_takes_over_the_postgres_left_behind_and_more_processes_can_share_it() throws Exception {
        Path dataDir = TestPostgres.tempDir("steadfast-orphan");
        Map<String, String> env = Map.of(Config.DATA_DIR, dataDir.toString(), Config.PORT, "0", Config.LEASE_MS, "3000",
                Config.WHATSAPP_APP_SECRET, TestNodes.APP_SECRET, Config.API_TOKEN, TestNodes.API_TOKEN);
        JavaProcess killed = serve("serve-killed", env);
        Http http = new Http(awaitPort(killed));
        for (int n = 0; n < 50; n++) {
            assertThat(http.postWebhook(META.messages(List.of(new Message("wamid.K" + n, "1555", "Kay", 1_700_000_000L + n, "k"))))
                    .status()).isEqualTo(200);
        }
        killed.killHard();
        long orphan = Long.parseLong(java.nio.file.Files.readAllLines(dataDir.resolve("pgdata/postmaster.pid")).getFirst().trim());
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("postgres outlives a SIGKILLed JVM").contains(true);

        JavaProcess heir = serve("serve-heir", env);
        Http again = new Http(awaitPort(heir));
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        Map<String, String> workerEnv = new java.util.HashMap<>(env);
        JavaProcess sharer = serve("serve-sharer", workerEnv, "--role", "worker");
        await().atMost(Duration.ofSeconds(60)).until(() -> sharer.output().contains("shared with another steadfast process"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(again.get("/health/detailed").json().at("/components/inbox").toString())
                        .contains("\"pending\":0,\"processing\":0"));
        for (int n = 0; n < 50; n++) {
            assertThat(again.get("/v1/messages?external_id=wamid.K" + n).json().get("items")).hasSize(1);
        }
        assertThat(sharer.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        assertThat(heir.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        assertThat(java.nio.file.Files.exists(dataDir.resolve("pgdata/postmaster.pid"))).as("postgres stopped with its owner").isFalse();
    }
}
