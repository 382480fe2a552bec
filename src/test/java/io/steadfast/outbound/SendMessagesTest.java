package io.steadfast.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steadfast.config.Config;
import io.steadfast.json.Json;
import io.steadfast.simulator.LiveClient;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.simulator.WhatsAppPayloads.Status;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sending WhatsApp messages: accepted once per key, sent at most once, settled by the provider's statuses. */
class SendMessagesTest {
    static final WhatsAppCloudSimulator whatsapp = new WhatsAppCloudSimulator();
    static final String PHONE = "104000000001";

    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(
            Config.WHATSAPP_API_URL, whatsapp.baseUrl().toString(),
            Config.WHATSAPP_ACCESS_TOKEN, WhatsAppCloudSimulator.TOKEN,
            Config.PROVIDER_TIMEOUT_MS, "1000"));
    static final String OPERATOR = TestNodes.API_TOKEN;

    @AfterAll
    static void stopSimulator() {
        whatsapp.close();
    }

    @BeforeEach
    void registerTheNumber() {
        assertThat(http().api("POST", "/v1/channels", "{\"phone_number_id\": \"" + PHONE + "\"}", OPERATOR).status())
                .isIn(200, 201);
    }

    Http http() {
        return server.http();
    }

    Http.Response send(String key, String json) {
        return http().post("/v1/messages", "application/json", json.getBytes(), "Authorization", "Bearer " + OPERATOR,
                "Idempotency-Key", key);
    }

    JsonNode awaitStatus(long id, String status) {
        await().atMost(Duration.ofSeconds(15)).until(() -> message(id).path("status").asText().equals(status));
        return message(id);
    }

    JsonNode message(long id) {
        return http().api("GET", "/v1/messages/" + id, null, OPERATOR).json();
    }

    long callsFor(long id) {
        return whatsapp.calls().stream().filter(c -> String.valueOf(id).equals(c.callbackData())).count();
    }

    @Test
    void a_message_is_accepted_queued_then_sent_once_with_the_provider_id() {
        Http.Response accepted = send("k-1", "{\"channel\": \"whatsapp\", \"to\": \"+15550001111\", \"text\": \"Hello\"}");

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode m = accepted.json();
        assertThat(m.path("status").asText()).isEqualTo("queued");
        assertThat(m.path("direction").asText()).isEqualTo("outbound");
        assertThat(m.path("to").asText()).isEqualTo("+15550001111");
        assertThat(m.path("from").asText()).isEqualTo(PHONE);
        JsonNode sent = awaitStatus(m.path("id").asLong(), "sent");
        assertThat(sent.path("provider_message_id").asText()).startsWith("wamid.sim.");
        assertThat(callsFor(m.path("id").asLong())).isEqualTo(1);
        WhatsAppCloudSimulator.Call call = whatsapp.calls().stream()
                .filter(c -> String.valueOf(m.path("id").asLong()).equals(c.callbackData())).findFirst().orElseThrow();
        assertThat(call.to()).isEqualTo("15550001111");
        assertThat(call.phoneNumberId()).isEqualTo(PHONE);
        assertThat(call.text()).isEqualTo("Hello");
    }

    @Test
    void the_message_is_committed_sending_before_the_provider_is_called() {
        whatsapp.delayAnswers(Duration.ofSeconds(2));
        try {
            long id = send("k-order", "{\"channel\": \"whatsapp\", \"to\": \"+15550009999\", \"text\": \"Hi\"}").json()
                    .path("id").asLong();
            await().atMost(Duration.ofSeconds(10)).until(() -> callsFor(id) == 1);
            // the call is in flight, its answer held back: another connection must already see the message sending
            assertThat(server.db().rows("SELECT status FROM outbound_message WHERE id = ?", id))
                    .containsExactly(Map.of("status", "sending"));
        } finally {
            whatsapp.delayAnswers(Duration.ZERO);
        }
    }

    @Test
    void repeats_of_a_key_get_the_first_answer_and_send_nothing_more_even_at_once() {
        String body = "{\"channel\": \"whatsapp\", \"to\": \"+15550002222\", \"text\": \"Once\"}";
        List<CompletableFuture<Http.Response>> racing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            racing.add(CompletableFuture.supplyAsync(() -> send("k-race", body)));
        }
        List<Http.Response> answers = new ArrayList<>(racing.stream().map(CompletableFuture::join).toList());
        answers.add(send("k-race", body));

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(202));
        assertThat(answers.stream().map(a -> a.json().path("id").asLong()).distinct()).hasSize(1);
        long id = answers.getFirst().json().path("id").asLong();
        awaitStatus(id, "sent");
        assertThat(callsFor(id)).isEqualTo(1);
        assertThat(server.db().count("SELECT count(*) FROM outbound_message")).isEqualTo(1);

        Http.Response reused = send("k-race", "{\"channel\": \"whatsapp\", \"to\": \"+15550002222\", \"text\": \"Other\"}");
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().path("error").asText()).isEqualTo("idempotency_key_reused");
    }

    @Test
    void bad_requests_name_the_field_and_store_nothing() {
        record Case(String key, String body, int status, String says) {
        }
        for (Case c : List.of(
                new Case(null, "{\"channel\": \"whatsapp\", \"to\": \"+15550001111\", \"text\": \"x\"}", 400, "Idempotency-Key"),
                new Case("b1", "{\"channel\": \"whatsapp\", \"to\": \"5550001111\", \"text\": \"x\"}", 422, "to "),
                new Case("b2", "{\"channel\": \"whatsapp\", \"to\": \"+15550001111\", \"text\": \"\"}", 422, "text "),
                new Case("b3", "{\"channel\": \"whatsapp\", \"to\": \"+15550001111\", \"text\": \"" + "x".repeat(4097) + "\"}", 422, "4096"),
                new Case("b4", "{\"channel\": \"fax\", \"to\": \"+15550001111\", \"text\": \"x\"}", 422, "channel "),
                new Case("b5", "{\"channel\": \"sms\", \"to\": \"+15550001111\", \"text\": \"x\"}", 422, "channel "),
                new Case("b6", "{\"channel\": \"email\", \"to\": \"a@b.co\", \"text\": \"x\"}", 422, "subject "),
                new Case("b7", "{\"channel\": \"whatsapp\", \"to\": \"+15550001111\", \"text\": \"x\", \"from\": \"999\"}", 422, "from "),
                new Case("b8", "{\"conversation_id\": 987654, \"text\": \"x\"}", 422, "conversation_id "),
                new Case("b9", "{\"channel\": \"whatsapp\", \"to\": 15550001111, \"text\": \"x\"}", 422, "to must be a string"))) {
            Http.Response r = c.key() == null
                    ? http().post("/v1/messages", "application/json", c.body().getBytes(), "Authorization", "Bearer " + OPERATOR)
                    : send(c.key(), c.body());
            assertThat(r.status()).as(c.body()).isEqualTo(c.status());
            assertThat(r.json().path("message").asText()).as(c.body()).contains(c.says());
        }
        Http.Response keyless = http().post("/v1/messages", "application/json",
                "{\"channel\": \"whatsapp\", \"to\": \"+15550001111\", \"text\": \"x\"}".getBytes(),
                "Authorization", "Bearer " + OPERATOR);
        assertThat(keyless.json().path("error").asText()).isEqualTo("idempotency_key_required");
        assertThat(send("k".repeat(256), "{\"channel\": \"whatsapp\", \"to\": \"+15550001111\", \"text\": \"x\"}")
                .status()).isEqualTo(400);
        assertThat(server.db().count("SELECT count(*) FROM outbound_message")).isZero();
        assertThat(server.db().count("SELECT count(*) FROM idempotency_key")).isZero();
        assertThat(server.db().count("SELECT count(*) FROM inbox_event WHERE source = 'outbound'")).isZero();
    }

    @Test
    void an_invalid_number_fails_with_the_provider_code_and_text_after_one_call() {
        whatsapp.invalid("15550003333");
        long id = send("k-invalid", "{\"channel\": \"whatsapp\", \"to\": \"+15550003333\", \"text\": \"Hi\"}").json()
                .path("id").asLong();

        JsonNode failed = awaitStatus(id, "failed");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("131026");
        assertThat(failed.path("error").path("message").asText()).contains("not a WhatsApp user");
        assertThat(callsFor(id)).isEqualTo(1);
    }

    @Test
    void a_provider_that_refuses_for_a_while_is_tried_again_until_it_takes_the_message() {
        whatsapp.failNext(2);
        long id = send("k-503", "{\"channel\": \"whatsapp\", \"to\": \"+15550004444\", \"text\": \"Later\"}").json()
                .path("id").asLong();

        awaitStatus(id, "sent");
        assertThat(whatsapp.calls().stream().filter(c -> String.valueOf(id).equals(c.callbackData()))
                .map(WhatsAppCloudSimulator.Call::outcome)).containsExactly("unavailable", "unavailable", "taken");
    }

    @Test
    void a_call_whose_answer_never_comes_is_unknown_never_repeated_and_settled_by_the_status_webhook() {
        whatsapp.swallow("15550005555");
        long id = send("k-silent", "{\"channel\": \"whatsapp\", \"to\": \"+15550005555\", \"text\": \"Hello?\"}").json()
                .path("id").asLong();

        JsonNode unknown = awaitStatus(id, "unknown");
        assertThat(unknown.path("provider_message_id").isNull()).isTrue();
        assertThat(http().api("GET", "/v1/messages?status=unknown", null, OPERATOR).json().path("items").toString())
                .contains("\"id\":" + id);
        assertThat(http().getWithoutToken("/metrics").body()).as("the gauge an alert watches")
                .containsPattern("(?m)^steadfast_outbound_unknown [1-9]");
        String wamid = whatsapp.calls().stream().filter(c -> String.valueOf(id).equals(c.callbackData()))
                .findFirst().orElseThrow().wamid();
        http().postWebhook(statusWithCallback(wamid, "delivered", id));
        Inbox.awaitDrained(server.db());

        JsonNode settled = awaitStatus(id, "delivered");
        assertThat(settled.path("provider_message_id").asText()).isEqualTo(wamid);
        assertThat(callsFor(id)).isEqualTo(1);
    }

    @Test
    void a_job_that_finds_its_message_sending_does_not_call_again() {
        long id = send("k-crash", "{\"channel\": \"whatsapp\", \"to\": \"+15550006666\", \"text\": \"Once only\"}").json()
                .path("id").asLong();
        awaitStatus(id, "sent");
        // as if the worker had died between its call and its commit: the message is left sending, its job runs again
        server.db().execute("UPDATE outbound_message SET status = 'sending', provider_message_id = NULL WHERE id = " + id);
        server.db().execute("UPDATE inbox_event SET status = 'pending', next_attempt_at = now(), processed_at = NULL "
                + "WHERE source = 'outbound' AND dedup_key = 'send:" + id + "'");
        server.db().execute("NOTIFY inbox_ready");

        JsonNode unknown = awaitStatus(id, "unknown");
        assertThat(unknown.path("note").asText()).contains("not sent again");
        assertThat(callsFor(id)).isEqualTo(1);
    }

    @Test
    void statuses_move_a_sent_message_forward_only() {
        long id = send("k-statuses", "{\"channel\": \"whatsapp\", \"to\": \"+15550007777\", \"text\": \"Hi\"}").json()
                .path("id").asLong();
        String wamid = awaitStatus(id, "sent").path("provider_message_id").asText();
        WhatsAppPayloads payloads = new WhatsAppPayloads(PHONE, "1555");

        http().postWebhook(payloads.statuses(List.of(new Status(wamid, "read", "15550007777", 1_700_000_100L))));
        http().postWebhook(payloads.statuses(List.of(new Status(wamid, "delivered", "15550007777", 1_700_000_050L))));
        http().postWebhook(payloads.statuses(List.of(new Status(wamid, "failed", "15550007777", 1_700_000_200L))));
        Inbox.awaitDrained(server.db());

        assertThat(message(id).path("status").asText()).isEqualTo("read");
    }

    @Test
    void a_reply_on_a_conversation_goes_to_its_customer_from_its_number() {
        http().postWebhook(new WhatsAppPayloads(PHONE, "1555").messages(
                List.of(new Message("wamid.in.reply", "15550008888", "Rae", 1_700_000_000L, "Is it in stock?"))));
        Inbox.awaitDrained(server.db());
        long conversation = http().api("GET", "/v1/conversations", null, OPERATOR).json().path("items").get(0)
                .path("id").asLong();
        String agent = http().api("POST", "/v1/api-keys", "{\"name\": \"desk\", \"role\": \"agent\"}", OPERATOR).json()
                .path("api_key").asText();

        Http.Response reply = http().post("/v1/messages", "application/json",
                ("{\"conversation_id\": " + conversation + ", \"text\": \"Yes, 3 left\"}").getBytes(),
                "Authorization", "Bearer " + agent, "Idempotency-Key", "reply-1");
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        assertThat(reply.json().path("to").asText()).isEqualTo("+15550008888");
        long id = reply.json().path("id").asLong();
        awaitStatus(id, "sent");
        JsonNode messages = http().api("GET", "/v1/conversations/" + conversation + "/messages", null, OPERATOR).json()
                .path("items");
        assertThat(messages).extracting(m -> m.path("direction").asText() + ":" + m.path("text").asText())
                .containsExactly("inbound:Is it in stock?", "outbound:Yes, 3 left");
        assertThat(messages.get(1).path("status").asText()).isEqualTo("sent");

        String other = http().api("POST", "/v1/businesses", "{\"name\": \"Other\"}", OPERATOR).json().path("api_key").asText();
        assertThat(http().api("GET", "/v1/messages/" + id, null, other).status()).isEqualTo(404);
    }

    @Test
    void a_live_client_sees_a_sent_message_move_from_queued_to_delivered() throws Exception {
        try (LiveClient client = LiveClient.connect(URI.create("http://127.0.0.1:" + server.node().port()), OPERATOR, "")) {
            long id = send("k-live", "{\"channel\": \"whatsapp\", \"to\": \"+15550001212\", \"text\": \"Hi\"}").json()
                    .path("id").asLong();
            String wamid = awaitStatus(id, "sent").path("provider_message_id").asText();
            http().postWebhook(new WhatsAppPayloads(PHONE, "1555").statuses(
                    List.of(new Status(wamid, "delivered", "15550001212", 1_700_000_100L))));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.received().stream()
                    .filter(m -> m.path("type").asText().equals("outbound_message"))
                    .map(m -> m.path("outbound_message"))
                    .filter(m -> m.path("id").asLong() == id)
                    .map(m -> m.path("status").asText()).toList())
                    .containsSubsequence("queued", "sent", "delivered"));
        }
    }

    @Test
    void the_loss_check_flags_a_sent_message_that_heard_nothing_for_a_person() {
        long id = send("k-lost", "{\"channel\": \"whatsapp\", \"to\": \"+15550001313\", \"text\": \"Hi\"}").json()
                .path("id").asLong();
        awaitStatus(id, "sent");
        LossCheck check = new LossCheck(Map.of("whatsapp", new WhatsAppCloudApi(whatsapp.baseUrl(),
                WhatsAppCloudSimulator.TOKEN, Duration.ofSeconds(1))), Duration.ofHours(1));
        var jdbi = server.node().database().jdbi();
        assertThat(jdbi.inTransaction(check::check)).as("not overdue yet").isZero();

        server.db().execute("UPDATE outbound_message SET sent_at = now() - interval '2 hours' WHERE id = " + id);
        assertThat(jdbi.inTransaction(check::check)).isEqualTo(1);

        JsonNode flagged = message(id);
        assertThat(flagged.path("status").asText()).isEqualTo("unknown");
        assertThat(flagged.path("note").asText()).contains("reported nothing for 60 minutes");
        assertThat(http().api("GET", "/v1/messages?status=unknown", null, OPERATOR).json().path("items").toString())
                .contains("\"id\":" + id);
        assertThat(jdbi.inTransaction(check::check)).as("looked at again only after another deadline").isZero();
        assertThat(callsFor(id)).isEqualTo(1);
    }

    @Test
    void idempotency_keys_are_kept_for_their_retention_then_pruned() {
        send("k-old", "{\"channel\": \"whatsapp\", \"to\": \"+15550001414\", \"text\": \"Hi\"}");
        send("k-new", "{\"channel\": \"whatsapp\", \"to\": \"+15550001515\", \"text\": \"Hi\"}");
        server.db().execute("UPDATE idempotency_key SET created_at = now() - interval '73 hours' WHERE key = 'k-old'");

        long pruned = new IdempotencyKeyRetention().sweep(server.node().database().jdbi(),
                java.time.Instant.now().minus(Duration.ofHours(72)), () -> true);

        assertThat(pruned).isEqualTo(1);
        assertThat(server.db().rows("SELECT key FROM idempotency_key")).containsExactly(Map.of("key", "k-new"));
    }

    private static byte[] statusWithCallback(String wamid, String status, long ourId) {
        ObjectNode root = (ObjectNode) Json.parse(new String(new WhatsAppPayloads(PHONE, "1555")
                .statuses(List.of(new Status(wamid, status, "15550005555", 1_700_000_300L)))));
        ((ObjectNode) root.at("/entry/0/changes/0/value/statuses/0")).put("biz_opaque_callback_data", String.valueOf(ourId));
        return Json.write(root).getBytes();
    }
}
