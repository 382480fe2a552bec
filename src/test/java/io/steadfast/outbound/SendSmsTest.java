package io.steadfast.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.config.Config;
import io.steadfast.json.Json;
import io.steadfast.simulator.TwilioSimulator;
import io.steadfast.sms.TwilioSignature;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SMS over the Twilio Messages API: sent once, settled by signed status callbacks, and customers' SMS received. */
class SendSmsTest {
    static final TwilioSimulator twilio = new TwilioSimulator();
    static final String NUMBER = "+15550100000";

    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(
            Config.SMS_API_URL, twilio.baseUrl().toString(),
            Config.SMS_ACCOUNT_SID, TwilioSimulator.ACCOUNT_SID,
            Config.SMS_AUTH_TOKEN, TwilioSimulator.AUTH_TOKEN,
            Config.PROVIDER_TIMEOUT_MS, "1000"));
    static final String OPERATOR = TestNodes.API_TOKEN;

    @AfterAll
    static void stopSimulator() {
        twilio.close();
    }

    @BeforeEach
    void registerTheNumber() {
        assertThat(http().api("POST", "/v1/channels", "{\"sms_number\": \"" + NUMBER + "\"}", OPERATOR).status())
                .isIn(200, 201);
    }

    Http http() {
        return server.http();
    }

    long send(String key, String to, String text) {
        Http.Response r = http().post("/v1/messages", "application/json",
                ("{\"channel\": \"sms\", \"to\": \"" + to + "\", \"text\": \"" + text + "\"}").getBytes(),
                "Authorization", "Bearer " + OPERATOR, "Idempotency-Key", key);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().path("id").asLong();
    }

    JsonNode awaitStatus(long id, String status) {
        await().atMost(Duration.ofSeconds(15)).until(() -> message(id).path("status").asText().equals(status));
        return message(id);
    }

    JsonNode message(long id) {
        return http().api("GET", "/v1/messages/" + id, null, OPERATOR).json();
    }

    List<TwilioSimulator.Call> calls(long id) {
        return twilio.callsFor(defaultBusiness(), id);
    }

    long defaultBusiness() {
        return server.db().count("SELECT id FROM business WHERE name = 'default'");
    }

    URI webhook() {
        return URI.create("http://localhost:" + server.node().port() + "/webhooks/sms");
    }

    @Test
    void an_sms_is_sent_once_from_the_business_number_and_moved_forward_by_status_callbacks() {
        long id = send("s-1", "+15550101111", "Your order shipped");

        JsonNode sent = awaitStatus(id, "sent");
        assertThat(sent.path("provider_message_id").asText()).startsWith("SM");
        assertThat(sent.path("from").asText()).isEqualTo(NUMBER);
        assertThat(calls(id)).hasSize(1).first().satisfies(call -> {
            assertThat(call.to()).isEqualTo("+15550101111");
            assertThat(call.from()).isEqualTo(NUMBER);
            assertThat(call.body()).isEqualTo("Your order shipped");
            assertThat(call.statusCallback()).isEqualTo(webhook() + "?message=" + defaultBusiness() + "-" + id);
        });

        TwilioSimulator.Call call = calls(id).getFirst();
        assertThat(twilio.reportStatus(call, "delivered")).isEqualTo(200);
        assertThat(twilio.reportStatus(call, "sent")).as("a late, lower status").isEqualTo(200);
        assertThat(twilio.reportStatus(call, "delivered")).as("a repeat").isEqualTo(200);
        Inbox.awaitDrained(server.db());
        assertThat(awaitStatus(id, "delivered").path("provider_message_id").asText()).isEqualTo(call.sid());
        assertThat(server.db().count("SELECT count(*) FROM inbox_event WHERE source = 'sms'"))
                .as("the repeated callback is a duplicate").isEqualTo(2);
    }

    @Test
    void an_invalid_number_fails_with_twilio_code_and_text_after_one_call() {
        twilio.invalid("+15550102222");
        long id = send("s-invalid", "+15550102222", "Hi");

        JsonNode failed = awaitStatus(id, "failed");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("21211");
        assertThat(failed.path("error").path("message").asText()).contains("is not a valid phone number");
        assertThat(calls(id)).hasSize(1);
    }

    @Test
    void an_sms_whose_answer_never_came_is_unknown_then_settled_by_its_callback_which_names_it() {
        twilio.swallow("+15550103333");
        long id = send("s-silent", "+15550103333", "Hello?");

        JsonNode unknown = awaitStatus(id, "unknown");
        assertThat(unknown.path("provider_message_id").isNull()).isTrue();
        TwilioSimulator.Call call = calls(id).getFirst();
        assertThat(twilio.reportStatus(call, "undelivered")).isEqualTo(200);
        Inbox.awaitDrained(server.db());

        JsonNode settled = awaitStatus(id, "failed");
        assertThat(settled.path("provider_message_id").asText()).isEqualTo(call.sid());
        assertThat(settled.path("error").path("code").asText()).isEqualTo("30005");
        assertThat(calls(id)).hasSize(1);
    }

    @Test
    void a_customer_sms_lands_in_a_conversation_and_the_reply_goes_back_by_sms_in_order() {
        assertThat(twilio.deliverIncoming(webhook(), "SMin0001", "+15550104444", NUMBER, "Do you ship to Lyon?"))
                .isEqualTo(200);
        Inbox.awaitDrained(server.db());
        JsonNode conversation = http().api("GET", "/v1/conversations", null, OPERATOR).json().path("items").get(0);
        assertThat(conversation.path("channel").asText()).isEqualTo("sms");

        Http.Response reply = http().post("/v1/messages", "application/json",
                ("{\"conversation_id\": " + conversation.path("id").asLong() + ", \"text\": \"We do\"}").getBytes(),
                "Authorization", "Bearer " + OPERATOR, "Idempotency-Key", "s-reply");
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        assertThat(reply.json().path("channel").asText()).isEqualTo("sms");
        assertThat(reply.json().path("to").asText()).isEqualTo("+15550104444");
        awaitStatus(reply.json().path("id").asLong(), "sent");

        JsonNode messages = http().api("GET", "/v1/conversations/" + conversation.path("id").asLong() + "/messages",
                null, OPERATOR).json().path("items");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).path("direction").asText()).isEqualTo("inbound");
        assertThat(messages.get(0).path("text").asText()).isEqualTo("Do you ship to Lyon?");
        assertThat(messages.get(1).path("direction").asText()).isEqualTo("outbound");
        assertThat(messages.get(1).path("text").asText()).isEqualTo("We do");
        assertThat(messages.get(1).path("status").asText()).isEqualTo("sent");
    }

    @Test
    void a_callback_with_a_bad_signature_or_missing_fields_is_refused_and_stores_nothing() {
        String form = "MessageSid=SM1&MessageStatus=delivered&From=%2B15550100000&To=%2B15550101111";
        Http.Response unsigned = http().post("/webhooks/sms", "application/x-www-form-urlencoded", form.getBytes());
        Http.Response forged = http().post("/webhooks/sms", "application/x-www-form-urlencoded", form.getBytes(),
                "X-Twilio-Signature", new TwilioSignature("another-token").sign(webhook().toString(),
                        List.of(new AbstractMap.SimpleImmutableEntry<>("MessageSid", "SM1"))));
        String valid = new TwilioSignature(TwilioSimulator.AUTH_TOKEN).sign(webhook().toString(),
                List.of(new AbstractMap.SimpleImmutableEntry<>("From", "+15550100000")));
        Http.Response incomplete = http().post("/webhooks/sms", "application/x-www-form-urlencoded",
                "From=%2B15550100000".getBytes(), "X-Twilio-Signature", valid);
        Http.Response json = http().post("/webhooks/sms", "application/json", "{}".getBytes());

        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(Json.parse(unsigned.body()).path("message").asText()).contains("X-Twilio-Signature");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(Json.parse(forged.body()).path("message").asText()).contains("STEADFAST_PUBLIC_URL");
        assertThat(incomplete.status()).isEqualTo(400);
        assertThat(Json.parse(incomplete.body()).path("message").asText()).contains("MessageSid");
        assertThat(json.status()).isEqualTo(415);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event")).isZero();
        assertThat(server.db().count("SELECT count(*) FROM webhook_request")).isZero();
    }

    @Test
    void the_loss_check_asks_twilio_about_a_sent_message_that_heard_nothing() {
        long id = send("s-quiet", "+15550105555", "Anyone?");
        String sid = awaitStatus(id, "sent").path("provider_message_id").asText();
        twilio.setStatus(sid, "delivered"); // Twilio knows; its callback was lost
        server.db().execute("UPDATE outbound_message SET sent_at = now() - interval '2 hours' WHERE id = " + id);
        TwilioMessagesApi api = new TwilioMessagesApi(twilio.baseUrl(), TwilioSimulator.ACCOUNT_SID,
                TwilioSimulator.AUTH_TOKEN, this::webhook, Duration.ofSeconds(2));
        LossCheck check = new LossCheck(Map.of("sms", api), Duration.ofHours(1));

        int looked = server.node().database().jdbi().inTransaction(check::check);

        assertThat(looked).isEqualTo(1);
        assertThat(message(id).path("status").asText()).isEqualTo("delivered");
        assertThat(server.node().database().jdbi().inTransaction(check::check)).as("settled: not looked at again")
                .isZero();
    }
}
