package io.steadfast.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.config.Config;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With auto-registration off, an unknown phone number's events wait in the dead letters until it is registered. */
class ChannelRegistrationTest {
    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(Config.AUTO_REGISTER_CHANNELS, "false"));




    @Test
    void an_unknown_phone_number_is_dead_lettered_with_the_reason_and_replayed_once_registered() {
        WhatsAppPayloads stranger = new WhatsAppPayloads("999000111", "15559990000");
        Http.Response response = server.http().postWebhook(stranger.messages(List.of(new Message("wamid.U1", "1555", "Uma", 1_700_000_000L, "hello"))));
        assertThat(response.status()).as("acknowledged: the event is stored, not dropped").isEqualTo(200);
        Inbox.awaitDrained(server.db());

        JsonNode dead = server.http().get("/v1/inbox/dead").json().get("items");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("reason").asText()).contains("phone_number_id 999000111").contains("POST /v1/channels");
        assertThat(dead.get(0).get("dedup_key").asText()).isEqualTo("wamid.U1");
        assertThat(dead.get(0).at("/payload/message/text/body").asText()).isEqualTo("hello");
        assertThat(server.db().count("SELECT count(*) FROM message")).isZero();

        Http.Response created = server.http().postApi("/v1/channels", "{\"phone_number_id\": \"999000111\", \"display_phone_number\": \"15559990000\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(server.http().postApi("/v1/channels", "{\"phone_number_id\": \"999000111\"}").status()).as("idempotent").isEqualTo(200);
        Http.Response replayed = server.http().postApi("/v1/inbox/" + dead.get(0).get("id").asLong() + "/replay", "");
        assertThat(replayed.status()).isEqualTo(200);
        Inbox.awaitDrained(server.db());

        assertThat(server.http().get("/v1/inbox/dead").json().get("items")).isEmpty();
        assertThat(server.http().get("/v1/messages?external_id=wamid.U1").json().at("/items/0/text").asText()).isEqualTo("hello");
        assertThat(server.http().get("/v1/channels").json().get("items")).hasSize(1);
        Http.Response again = server.http().postApi("/v1/inbox/" + dead.get(0).get("id").asLong() + "/replay", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("message").asText()).contains("only dead events can be replayed");
    }

    @Test
    void a_batch_holding_one_unknown_number_still_applies_the_known_ones() {
        server.http().postApi("/v1/channels", "{\"phone_number_id\": \"555000222\"}");
        WhatsAppPayloads known = new WhatsAppPayloads("555000222", "1555");
        WhatsAppPayloads unknown = new WhatsAppPayloads("555000333", "1555");
        for (int i = 0; i < 20; i++) {
            WhatsAppPayloads from = i % 10 == 0 ? unknown : known;
            server.http().postWebhook(from.messages(List.of(new Message("wamid.B" + i, "1555", "Bea", 1_700_000_000L + i, "b"))));
        }
        Inbox.awaitDrained(server.db());

        assertThat(server.db().count("SELECT count(*) FROM message WHERE external_id LIKE 'wamid.B%'")).isEqualTo(18);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event WHERE status = 'dead' AND partition_key = '555000333'")).isEqualTo(2);
    }
}
