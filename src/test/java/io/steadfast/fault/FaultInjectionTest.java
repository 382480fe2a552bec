package io.steadfast.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steadfast.config.Config;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults switched on through /v1/faults reach the webhook endpoint, and only on a node that allows them. */
class FaultInjectionTest {
    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(Config.FAULT_INJECTION, "true"));

    static final WhatsAppPayloads PAYLOADS = new WhatsAppPayloads("5550001", "+1 555 0001");

    @Test
    void a_switched_on_webhook_failure_answers_500_and_stores_nothing_until_it_is_cleared() {
        var on = server.http().postApi("/v1/faults", "{\"fault\":\"webhook_500_before_commit\",\"seconds\":30}");
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.json().path("items").get(0).path("fault").asText()).isEqualTo("webhook_500_before_commit");
        byte[] body = PAYLOADS.messages(List.of(new Message("wamid.fault.1", "15550100", "Ana", 1_767_225_600L, "hi")));

        await().atMost(Duration.ofSeconds(5)).until(() -> server.http().postWebhook(body).status() == 500);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event")).isZero();

        assertThat(server.http().delete("/v1/faults").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.http().postWebhook(body).status() == 200);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event")).isEqualTo(1);
    }

    @Test
    void a_fault_request_that_makes_no_sense_is_refused_with_what_to_send() {
        var unknown = server.http().postApi("/v1/faults", "{\"fault\":\"set_fire\",\"seconds\":5}");
        var noDuration = server.http().postApi("/v1/faults", "{\"fault\":\"handler_delay_ms\",\"value\":100}");
        var negative = server.http().postApi("/v1/faults", "{\"fault\":\"handler_delay_ms\",\"value\":-1,\"seconds\":5}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("message").asText()).contains("webhook_500_after_commit", "handler_delay_ms");
        assertThat(noDuration.status()).isEqualTo(400);
        assertThat(noDuration.json().path("message").asText()).contains("\"seconds\"");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(server.http().get("/v1/faults").json().path("items")).isEmpty();
    }
}
