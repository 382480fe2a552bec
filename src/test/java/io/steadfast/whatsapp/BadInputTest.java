package io.steadfast.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.config.Config;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.Http;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every bad request gets the right status and a JSON error a person can act on, and stores nothing. */
class BadInputTest {
    static final WhatsAppPayloads META = new WhatsAppPayloads("106540352242922", "15550783881");
    static final byte[] VALID = META.messages(List.of(new Message("wamid.BAD", "1555000000", "Lu", 1_700_000_000L, "hi")));
    static final int MAX_BODY = 64 * 1024;
    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(Config.MAX_BODY_BYTES, String.valueOf(MAX_BODY)));



    @AfterEach
    void nothing_was_stored() {
        assertThat(server.db().storedRows()).isZero();
    }

    @Test
    void a_missing_signature_is_401() {
        assertError(server.http().post("/webhooks/whatsapp", "application/json", VALID), 401, "invalid_signature", "missing");
    }

    @Test
    void a_signature_made_with_another_secret_is_401() {
        Http.Response r = new Http(server.node().port(), "some-other-secret-0123456789").postWebhook(VALID);
        assertError(r, 401, "invalid_signature", "does not match");
    }

    @Test
    void a_signature_of_other_bytes_is_401() {
        String signatureOfValid = new Signature(TestNodes.APP_SECRET).sign(VALID);
        byte[] tampered = new String(VALID, StandardCharsets.UTF_8).replace("\"hi\"", "\"hj\"").getBytes(StandardCharsets.UTF_8);
        Http.Response r = server.http().post("/webhooks/whatsapp", "application/json", tampered,
                WhatsApp.SIGNATURE_HEADER, signatureOfValid);
        assertError(r, 401, "invalid_signature", "does not match");
    }

    @Test
    void a_malformed_signature_header_is_401() {
        Http.Response r = server.http().post("/webhooks/whatsapp", "application/json", VALID, WhatsApp.SIGNATURE_HEADER, "md5=abc");
        assertError(r, 401, "invalid_signature", "64 hex digits");
    }

    @Test
    void malformed_json_is_400() {
        assertError(server.http().postWebhook("{\"object\": \"whatsapp_business_account\", \"entry\": [".getBytes()), 400,
                "invalid_payload", "not valid JSON");
    }

    @Test
    void json_that_is_not_a_whatsapp_notification_is_400() {
        assertError(server.http().postWebhook("{\"hello\": \"world\"}".getBytes()), 400, "invalid_payload", "\"object\" must be");
        assertError(server.http().postWebhook("[1, 2, 3]".getBytes()), 400, "invalid_payload", "must be a JSON object");
        assertError(server.http().postWebhook("{\"object\": \"page\", \"entry\": []}".getBytes()), 400, "invalid_payload",
                "whatsapp_business_account");
    }

    @Test
    void a_message_with_wrong_types_is_400_and_names_the_field() {
        String body = new String(VALID, StandardCharsets.UTF_8).replace("\"timestamp\":\"1700000000\"", "\"timestamp\":true");
        assertError(server.http().postWebhook(body.getBytes()), 400, "invalid_payload", "entry[0].changes[0].value.messages[0].timestamp");
        String noId = new String(VALID, StandardCharsets.UTF_8).replace("\"id\":\"wamid.BAD\",", "");
        assertError(server.http().postWebhook(noId.getBytes()), 400, "invalid_payload", "messages[0].id must be a non-empty string");
        String noMetadata = new String(VALID, StandardCharsets.UTF_8).replaceAll("\"metadata\":\\{[^}]*},", "");
        assertError(server.http().postWebhook(noMetadata.getBytes()), 400, "invalid_payload", "value.metadata must be an object");
    }

    @Test
    void one_bad_message_rejects_the_whole_request() {
        String body = new String(META.messages(List.of(
                new Message("wamid.GOOD", "1555000000", "Lu", 1_700_000_000L, "fine"),
                new Message("wamid.EVIL", "1555000000", "Lu", 1_700_000_001L, "bad"))), StandardCharsets.UTF_8)
                .replace("\"timestamp\":\"1700000001\"", "\"timestamp\":\"soon\"");
        assertError(server.http().postWebhook(body.getBytes()), 400, "invalid_payload", "messages[1].timestamp");
    }

    @Test
    void a_body_over_the_limit_is_413() {
        byte[] big = META.messages(List.of(new Message("wamid.BIG", "1555000000", "Lu", 1_700_000_000L, "x".repeat(MAX_BODY))));
        assertError(server.http().postWebhook(big), 413, "payload_too_large", String.valueOf(MAX_BODY));
    }

    @Test
    void a_body_sent_in_chunks_past_the_limit_is_413() throws Exception {
        byte[] chunk = ("{\"padding\": \"" + "x".repeat(16 * 1024) + "\"}").getBytes(StandardCharsets.US_ASCII);
        try (var socket = new java.net.Socket("127.0.0.1", server.node().port())) {
            var out = socket.getOutputStream();
            out.write(("POST /webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int sent = 0; sent <= MAX_BODY; sent += chunk.length) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("payload_too_large", String.valueOf(MAX_BODY));
        }
    }

    @Test
    void a_wrong_content_type_is_415() {
        assertError(server.http().post("/webhooks/whatsapp", "text/plain", VALID), 415, "unsupported_media_type", "application/json");
        assertError(server.http().post("/webhooks/whatsapp", null, VALID), 415, "unsupported_media_type", "application/json");
    }

    @Test
    void an_id_postgresql_cannot_store_is_400() {
        byte[] body = META.messages(List.of(new Message("wamid.\u0000", "1555000000", "Lu", 1_700_000_000L, "hi")));
        assertError(server.http().postWebhook(body), 400, "invalid_request", "cannot store");
    }

    @Test
    void the_api_without_a_bearer_token_is_401() {
        assertError(server.http().getWithoutToken("/v1/conversations"), 401, "unauthorized", "Authorization: Bearer");
        assertError(server.http().getWithoutToken("/v1/inbox/dead"), 401, "unauthorized", "Authorization: Bearer");
    }

    @Test
    void the_api_with_a_wrong_token_is_401() {
        Http.Response r = server.http().post("/v1/inbox/1/replay", "application/json", new byte[0], "Authorization", "Bearer nope");
        assertError(r, 401, "unauthorized", "neither this server's operator token");
    }

    @Test
    void bad_api_parameters_are_400_and_unknown_ids_404() {
        assertError(server.http().get("/v1/conversations?limit=0"), 400, "invalid_request", "limit must be");
        assertError(server.http().get("/v1/conversations?limit=abc"), 400, "invalid_request", "limit must be");
        assertError(server.http().get("/v1/conversations?cursor=garbage!"), 400, "invalid_request", "cursor");
        assertError(server.http().get("/v1/conversations/abc/messages"), 400, "invalid_request", "id must be a whole number");
        assertError(server.http().get("/v1/conversations/999999/messages"), 404, "not_found", "999999");
        assertError(server.http().get("/v1/messages"), 400, "invalid_request", "external_id");
        assertError(server.http().postApi("/v1/inbox/424242/replay", ""), 404, "not_found", "424242");
        assertError(server.http().postApi("/v1/channels", "{\"phone\": 1}"), 400, "invalid_request", "phone_number_id");
        assertError(server.http().postApi("/v1/channels", "{oops"), 400, "invalid_request", "not valid JSON");
        assertError(server.http().get("/v1/nothing-here"), 404, "not_found", "/v1/nothing-here");
        assertError(server.http().get("/v1/inbox/events?source=whatsapp"), 400, "invalid_request", "partition_key");
        assertError(server.http().get("/v1/faults"), 404, "not_found", "STEADFAST_FAULT_INJECTION=true");
        assertError(server.http().postApi("/v1/faults", "{\"fault\":\"handler_delay_ms\",\"seconds\":5}"), 404,
                "not_found", "fault injection is off");
    }

    @Test
    void the_verify_handshake_answers_the_challenge_only_for_the_right_token() {
        Http.Response ok = server.http().getWithoutToken("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token="
                + TestNodes.VERIFY_TOKEN + "&hub.challenge=1158201444");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertError(server.http().getWithoutToken("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1"),
                403, "invalid_verification", "does not match");
        assertError(server.http().getWithoutToken("/webhooks/whatsapp"), 403, "invalid_verification", "hub.mode=subscribe");
    }

    @Test
    void a_notification_without_messages_or_statuses_is_acknowledged_and_counted_as_ignored() {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
                + "\"message_template_status_update\",\"value\":{\"event\":\"APPROVED\"}}]}]}";
        Http.Response r = server.http().postWebhook(body.getBytes());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo("{\"accepted\":0,\"duplicates\":0,\"ignored\":1}");
    }

    private static void assertError(Http.Response r, int status, String code, String messageContains) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("error").asText()).isEqualTo(code);
        assertThat(r.json().get("message").asText()).contains(messageContains);
    }
}
