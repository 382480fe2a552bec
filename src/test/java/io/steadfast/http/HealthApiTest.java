package io.steadfast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Health and metrics report what the node is doing, including every worker's counters. */
class HealthApiTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void detailed_health_shows_the_database_the_inbox_and_each_worker() {
        WhatsAppPayloads meta = new WhatsAppPayloads("1", "1");
        for (int i = 0; i < 5; i++) {
            server.http().postWebhook(meta.messages(List.of(new Message("wamid.H" + i, "1555", "Hu", 1_700_000_000L, "h"))));
        }
        Inbox.awaitDrained(server.db());

        org.awaitility.Awaitility.await().untilAsserted(() -> {
            JsonNode health = server.http().get("/health/detailed").json();
            assertThat(health.get("status").asText()).isEqualTo("healthy");
            assertThat(health.at("/components/database/status").asText()).isEqualTo("up");
            assertThat(health.at("/components/inbox/pending").asLong()).isZero();
            assertThat(health.at("/components/inbox/dead").asLong()).isZero();
            assertThat(health.at("/components/database/version").asText()).startsWith("17");
            assertThat(health.at("/settings/fault_injection").asBoolean()).isFalse();
            assertThat(health.at("/settings/auto_register_channels").asBoolean()).isTrue();
            assertThat(health.get("workers")).hasSize(2);
            long processed = 0;
            for (JsonNode w : health.get("workers")) {
                assertThat(w.get("status").asText()).isIn("idle", "running");
                assertThat(w.get("errors_count").asLong()).isZero();
                assertThat(w.get("lease_lost_count").asLong()).isZero();
                processed += w.get("processed_count").asLong();
            }
            assertThat(processed).isEqualTo(5);
        });
    }

    @Test
    void detailed_health_without_the_token_shows_status_and_counts_but_no_host_pid_url_or_setting() {
        // statuses come from the workers' heartbeats: a worker just started reports "starting" until its next beat
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.http()
                .getWithoutToken("/health/detailed").json().get("workers").valueStream().map(w -> w.path("status").asText()))
                .isNotEmpty().allMatch(s -> s.equals("idle") || s.equals("running")));
        Http.Response open = server.http().getWithoutToken("/health/detailed");

        assertThat(open.status()).isEqualTo(200);
        JsonNode health = open.json();
        assertThat(health.get("status").asText()).isEqualTo("healthy");
        assertThat(health.at("/components/inbox/pending").isNumber()).isTrue();
        assertThat(health.get("workers_reporting").asInt()).isEqualTo(2);
        assertThat(health.has("settings")).isFalse();
        assertThat(health.get("workers")).hasSize(2).allSatisfy(w -> {
            assertThat(w.path("status").asText()).isIn("idle", "running");
            assertThat(w.has("processed_count")).isTrue();
            assertThat(w.has("id")).isFalse();
            assertThat(w.has("pid")).isFalse();
        });
        assertThat(health.at("/components/database").has("url")).isFalse();
        assertThat(open.body()).doesNotContain(String.valueOf(ProcessHandle.current().pid()), "jdbc:", "localhost");
        assertThat(server.http().getWithToken("/health/detailed", "not-the-token").status()).isEqualTo(401);
    }

    @Test
    void metrics_are_prometheus_text_with_inbox_counters() {
        String metrics = server.http().getWithoutToken("/metrics").body();
        assertThat(metrics).contains("steadfast_inbox_appended_total{outcome=\"accepted\"}")
                .contains("steadfast_inbox_processed_total").contains("steadfast_inbox_pending").contains("jvm_memory_used_bytes");
    }

    @Test
    void liveness_needs_no_token() {
        assertThat(server.http().getWithoutToken("/health").json().get("status").asText()).isEqualTo("ok");
    }
}
