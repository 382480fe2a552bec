package io.steadfast.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.fault.Faults;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.simulator.WhatsAppPayloads.Status;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Webhooks delivered the way providers deliver them: retried, duplicated, concurrent. Each stored exactly once. */
class WebhookDeliveryTest {
    static final WhatsAppPayloads META = new WhatsAppPayloads("106540352242922", "15550783881");
    @RegisterExtension
    static final TestServer server = new TestServer(java.util.Map.of(io.steadfast.config.Config.FAULT_INJECTION, "true")); // its fault hooks




    @Test
    void signed_message_is_stored_and_read_back_through_the_api() {
        byte[] body = META.messages(List.of(new Message("wamid.A1", "16505551234", "Sheena Nelson", 1_749_416_383L,
                "Does it come in another color?")));

        Http.Response response = server.http().postWebhook(body);
        Inbox.awaitDrained(server.db());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().toString()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        JsonNode conversations = server.http().get("/v1/conversations").json().get("items");
        assertThat(conversations).hasSize(1);
        assertThat(conversations.get(0).at("/customer/wa_id").asText()).isEqualTo("16505551234");
        assertThat(conversations.get(0).at("/customer/name").asText()).isEqualTo("Sheena Nelson");
        assertThat(conversations.get(0).get("last_message_at").asText()).isEqualTo("2025-06-08T20:59:43Z");
        JsonNode messages = server.http().get("/v1/conversations/" + conversations.get(0).get("id").asLong() + "/messages")
                .json().get("items");
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).get("external_id").asText()).isEqualTo("wamid.A1");
        assertThat(messages.get(0).get("text").asText()).isEqualTo("Does it come in another color?");
        assertThat(messages.get(0).get("direction").asText()).isEqualTo("inbound");
        assertThat(messages.get(0).get("provider_timestamp").asText()).isEqualTo("2025-06-08T20:59:43Z");
        assertThat(server.db().count("SELECT count(*) FROM webhook_delivery WHERE body = ?", (Object) body)).isEqualTo(1);
    }

    @Test
    void the_same_webhook_delivered_100_times_in_a_row_is_one_message() {
        byte[] body = META.messages(List.of(new Message("wamid.SEQ", "1555000001", "Ana", 1_700_000_000L, "hi")));

        int accepted = 0;
        int duplicates = 0;
        for (int i = 0; i < 100; i++) {
            JsonNode r = server.http().postWebhook(body).json();
            accepted += r.get("accepted").asInt();
            duplicates += r.get("duplicates").asInt();
        }
        Inbox.awaitDrained(server.db());

        assertThat(accepted).isEqualTo(1);
        assertThat(duplicates).isEqualTo(99);
        assertThat(server.db().count("SELECT count(*) FROM message WHERE external_id = 'wamid.SEQ'")).isEqualTo(1);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event")).isEqualTo(1);
        assertThat(server.http().get("/v1/messages?external_id=wamid.SEQ").json().get("items")).hasSize(1);
    }

    @Test
    void the_same_webhook_delivered_100_times_at_once_is_one_message() throws Exception {
        byte[] body = META.messages(List.of(new Message("wamid.CONC", "1555000002", "Bo", 1_700_000_000L, "hey")));

        List<Http.Response> responses = concurrently(100, i -> server.http().postWebhook(body));
        Inbox.awaitDrained(server.db());

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(responses.stream().mapToInt(r -> r.json().get("accepted").asInt()).sum()).isEqualTo(1);
        assertThat(responses.stream().mapToInt(r -> r.json().get("duplicates").asInt()).sum()).isEqualTo(99);
        assertThat(server.db().count("SELECT count(*) FROM message WHERE external_id = 'wamid.CONC'")).isEqualTo(1);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event")).isEqualTo(1);
    }

    @Test
    void deliveries_that_failed_before_commit_and_were_retried_are_saved_once() {
        server.node().faults().failNextWebhooks(3, Faults.Point.BEFORE_COMMIT);
        byte[] body = META.messages(List.of(new Message("wamid.RETRY1", "1555000003", "Cy", 1_700_000_000L, "x")));

        int attempts = server.http().postWebhookUntilAcknowledged(body, Duration.ofSeconds(30));
        Inbox.awaitDrained(server.db());

        assertThat(attempts).isEqualTo(4);
        assertThat(server.db().count("SELECT count(*) FROM message WHERE external_id = 'wamid.RETRY1'")).isEqualTo(1);
        assertThat(server.db().count("SELECT count(*) FROM webhook_delivery")).isEqualTo(1);
    }

    @Test
    void deliveries_that_failed_after_commit_and_were_retried_are_saved_once() {
        server.node().faults().failNextWebhooks(3, Faults.Point.AFTER_COMMIT);
        byte[] body = META.messages(List.of(new Message("wamid.RETRY2", "1555000004", "Di", 1_700_000_000L, "y")));

        int attempts = server.http().postWebhookUntilAcknowledged(body, Duration.ofSeconds(30));
        Inbox.awaitDrained(server.db());

        assertThat(attempts).isEqualTo(4);
        assertThat(server.db().count("SELECT count(*) FROM message WHERE external_id = 'wamid.RETRY2'")).isEqualTo(1);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event")).isEqualTo(1);
        assertThat(server.db().count("SELECT count(*) FROM webhook_delivery")).as("every delivery is kept for audit").isEqualTo(4);
    }

    @Test
    void a_hundred_webhooks_each_retried_after_a_failure_are_a_hundred_messages() throws Exception {
        server.node().faults().failNextWebhooks(100, Faults.Point.AFTER_COMMIT);

        concurrently(100, i -> server.http().postWebhookUntilAcknowledged(META.messages(List.of(
                new Message("wamid.R" + i, "1555100" + i, "N" + i, 1_700_000_000L + i, "m" + i))), Duration.ofSeconds(30)));
        Inbox.awaitDrained(server.db());

        assertThat(server.db().count("SELECT count(*) FROM message")).isEqualTo(100);
        assertThat(server.db().count("SELECT count(DISTINCT external_id) FROM message")).isEqualTo(100);
    }

    @Test
    void a_thousand_distinct_webhooks_sent_at_once_are_a_thousand_messages() throws Exception {
        List<Http.Response> responses = concurrently(1000, i -> server.http().postWebhook(META.messages(List.of(
                new Message("wamid.K" + i, "1555200" + (i % 50), "Customer " + (i % 50), 1_700_000_000L + i, "m" + i)))));
        Inbox.awaitDrained(server.db());

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(responses.stream().mapToInt(r -> r.json().get("accepted").asInt()).sum()).isEqualTo(1000);
        assertThat(server.db().count("SELECT count(*) FROM message")).isEqualTo(1000);
        assertThat(server.db().count("SELECT count(DISTINCT external_id) FROM message")).isEqualTo(1000);
        assertThat(server.db().count("SELECT count(*) FROM customer")).isEqualTo(50);
        assertThat(server.db().count("SELECT count(*) FROM conversation")).isEqualTo(50);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event WHERE status <> 'done'")).isZero();
    }

    @Test
    void one_request_carrying_messages_and_statuses_becomes_one_event_each() {
        byte[] body = META.notification(
                List.of(new Message("wamid.M1", "1555300001", "Eve", 1_700_000_001L, "one"),
                        new Message("wamid.M2", "1555300002", "Fay", 1_700_000_002L, "two")),
                List.of(new Status("wamid.M1", "read", "1555300001", 1_700_000_010L),
                        new Status("wamid.M2", "delivered", "1555300002", 1_700_000_011L),
                        new Status("wamid.M2", "sent", "1555300002", 1_700_000_009L)));

        JsonNode response = server.http().postWebhook(body).json();
        Inbox.awaitDrained(server.db());

        assertThat(response.get("accepted").asInt()).isEqualTo(5);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event WHERE event_type = 'whatsapp.message'")).isEqualTo(2);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event WHERE event_type = 'whatsapp.status'")).isEqualTo(3);
        assertThat(server.http().get("/v1/messages?external_id=wamid.M1").json().at("/items/0/status").asText()).isEqualTo("read");
        assertThat(server.http().get("/v1/messages?external_id=wamid.M2").json().at("/items/0/status").asText()).isEqualTo("delivered");
    }

    @Test
    void text_with_a_nul_character_is_kept_with_a_replacement_character() {
        byte[] body = META.messages(List.of(new Message("wamid.NUL", "1555000000", "Lu\u0000cy", 1_700_000_000L, "a\u0000b")));

        assertThat(server.http().postWebhook(body).status()).isEqualTo(200);
        Inbox.awaitDrained(server.db());

        JsonNode message = server.http().get("/v1/messages?external_id=wamid.NUL").json().at("/items/0");
        assertThat(message.get("text").asText()).isEqualTo("a\uFFFDb");
        assertThat(server.http().get("/v1/conversations").json().at("/items/0/customer/name").asText()).isEqualTo("Lu\uFFFDcy");
        assertThat(server.db().count("SELECT count(*) FROM inbox_event WHERE status = 'done'")).isEqualTo(1);
    }

    interface Call<T> {
        T call(int i) throws Exception;
    }

    static <T> List<T> concurrently(int n, Call<T> call) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return call.call(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
