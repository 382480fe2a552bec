package io.steadfast.whatsapp;

import static io.steadfast.whatsapp.WebhookDeliveryTest.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.messaging.MessageStatus;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.simulator.WhatsAppPayloads.Status;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Order is what the provider meant: timestamps for messages, the furthest status for delivery. */
class OrderingTest {
    static final WhatsAppPayloads META = new WhatsAppPayloads("106540352242922", "15550783881");
    @RegisterExtension
    static final TestServer server = new TestServer();




    @Test
    void a_hundred_messages_delivered_in_random_order_read_back_in_timestamp_order() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            server.truncate();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed));

            concurrently(100, k -> server.http().postWebhook(META.messages(List.of(message(order.get(k))))));
            Inbox.awaitDrained(server.db());

            List<String> readBack = allMessages(conversationId());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add("wamid.O" + i);
            }
            assertThat(readBack).as("seed %d", seed).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void messages_with_the_same_timestamp_keep_their_arrival_order() {
        for (String id : List.of("wamid.T3", "wamid.T1", "wamid.T2")) {
            server.http().postWebhook(META.messages(List.of(new Message(id, "1555400000", "Gil", 1_700_000_000L, id))));
        }
        Inbox.awaitDrained(server.db());

        assertThat(allMessages(conversationId())).containsExactly("wamid.T3", "wamid.T1", "wamid.T2");
    }

    @Test
    void statuses_delivered_out_of_order_end_at_the_furthest_reported() throws Exception {
        Random random = new Random(42);
        List<String> all = List.of("sent", "delivered", "read", "failed");
        Map<String, MessageStatus> expected = new HashMap<>();
        List<byte[]> deliveries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String wamid = "wamid.S" + i;
            List<String> reported = new ArrayList<>(all.subList(0, 1 + random.nextInt(3)));
            if (random.nextInt(4) == 0) {
                reported.add("failed");
            }
            MessageStatus furthest = MessageStatus.RECEIVED;
            for (String s : reported) {
                furthest = MessageStatus.furthest(furthest, MessageStatus.fromWire(s).orElseThrow());
                byte[] status = META.statuses(List.of(new Status(wamid, s, "1555500000", 1_700_000_100L + i)));
                deliveries.add(status);
                deliveries.add(status); // and its duplicate
            }
            expected.put(wamid, furthest);
            deliveries.add(META.messages(List.of(new Message(wamid, "1555500000", "Hal", 1_700_000_000L + i, "s"))));
        }
        Collections.shuffle(deliveries, random);

        concurrently(deliveries.size(), k -> server.http().postWebhook(deliveries.get(k)));
        Inbox.awaitDrained(server.db());

        for (var e : expected.entrySet()) {
            JsonNode message = server.http().get("/v1/messages?external_id=" + e.getKey()).json().at("/items/0");
            assertThat(message.get("status").asText()).as(e.getKey()).isEqualTo(e.getValue().wire());
        }
    }

    @Test
    void a_status_that_arrives_before_its_message_applies_when_the_message_appears() {
        server.http().postWebhook(META.statuses(List.of(new Status("wamid.EARLY", "delivered", "1555600000", 1_700_000_050L))));
        Inbox.awaitDrained(server.db());
        assertThat(server.http().get("/v1/messages?external_id=wamid.EARLY").json().get("items")).isEmpty();

        server.http().postWebhook(META.messages(List.of(new Message("wamid.EARLY", "1555600000", "Ida", 1_700_000_000L, "e"))));
        Inbox.awaitDrained(server.db());

        assertThat(server.http().get("/v1/messages?external_id=wamid.EARLY").json().at("/items/0/status").asText())
                .isEqualTo("delivered");
    }

    @Test
    void a_late_delivered_never_overwrites_read_and_a_late_sent_never_revives_failed() {
        server.http().postWebhook(META.messages(List.of(new Message("wamid.R", "1555700000", "Jo", 1_700_000_000L, "r"),
                new Message("wamid.F", "1555700000", "Jo", 1_700_000_001L, "f"))));
        server.http().postWebhook(META.statuses(List.of(new Status("wamid.R", "read", "1555700000", 1_700_000_020L),
                new Status("wamid.F", "failed", "1555700000", 1_700_000_020L))));
        Inbox.awaitDrained(server.db());
        server.http().postWebhook(META.statuses(List.of(new Status("wamid.R", "delivered", "1555700000", 1_700_000_010L),
                new Status("wamid.F", "sent", "1555700000", 1_700_000_010L))));
        Inbox.awaitDrained(server.db());

        assertThat(server.http().get("/v1/messages?external_id=wamid.R").json().at("/items/0/status").asText()).isEqualTo("read");
        JsonNode failed = server.http().get("/v1/messages?external_id=wamid.F").json().at("/items/0");
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/status_errors/0/code").asInt()).isEqualTo(131026);
    }

    @Test
    void the_customer_name_is_the_one_from_the_newest_message_whatever_the_arrival_order() {
        server.http().postWebhook(META.messages(List.of(new Message("wamid.N2", "1555800000", "New Name", 1_700_000_200L, "b"))));
        Inbox.awaitDrained(server.db());
        server.http().postWebhook(META.messages(List.of(new Message("wamid.N1", "1555800000", "Old Name", 1_700_000_100L, "a"))));
        Inbox.awaitDrained(server.db());

        JsonNode conversation = server.http().get("/v1/conversations").json().at("/items/0");
        assertThat(conversation.at("/customer/name").asText()).isEqualTo("New Name");
        assertThat(conversation.get("last_message_at").asText()).isEqualTo("2023-11-14T22:16:40Z");
    }

    private static Message message(int i) {
        return new Message("wamid.O" + i, "1555900000", "Kim", 1_700_000_000L + i * 7L, "message " + i);
    }

    private static long conversationId() {
        JsonNode items = server.http().get("/v1/conversations").json().get("items");
        assertThat(items).hasSize(1);
        return items.get(0).get("id").asLong();
    }

    /** Every message of a conversation, following next_cursor across pages of 30. */
    private static List<String> allMessages(long conversationId) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = server.http().get("/v1/conversations/" + conversationId + "/messages?limit=30"
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(m -> ids.add(m.get("external_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return ids;
    }
}
