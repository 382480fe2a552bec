package io.steadfast.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.shopify.Shopify;
import io.steadfast.simulator.LiveClient;
import io.steadfast.simulator.ShopifyPayloads;
import io.steadfast.simulator.ShopifyPayloads.OrderVersion;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two businesses with traffic on their own channels: each credential sees its own business through every endpoint,
 * and another business's ids answer 404 as if they did not exist.
 */
class TenantIsolationTest {
    @RegisterExtension
    static final TestServer server = new TestServer();
    static final String OPERATOR = TestNodes.API_TOKEN;
    static final String DEFAULT_PHONE = "100000001";
    static final String ACME_PHONE = "200000002";
    static final String ACME_SHOP = "acme.myshopify.com";
    static final String DEFAULT_SHOP = "default.myshopify.com";

    String acme;

    Http http() {
        return server.http();
    }

    @BeforeEach
    void twoBusinessesWithTraffic() {
        acme = http().api("POST", "/v1/businesses", "{\"name\": \"Acme\"}", OPERATOR).json().path("api_key").asText();
        assertThat(http().api("POST", "/v1/channels", "{\"phone_number_id\": \"" + ACME_PHONE + "\"}", acme).status())
                .isEqualTo(201);
        assertThat(http().api("POST", "/v1/channels", "{\"shop_domain\": \"" + ACME_SHOP + "\"}", acme).status())
                .isEqualTo(201);
        http().postWebhook(new WhatsAppPayloads(DEFAULT_PHONE, "1555").messages(
                List.of(new Message("wamid.default", "15550001", "Dee", 1_700_000_000L, "for default"))));
        http().postWebhook(new WhatsAppPayloads(ACME_PHONE, "1666").messages(
                List.of(new Message("wamid.acme", "15550002", "Ace", 1_700_000_000L, "for acme"))));
        order(DEFAULT_SHOP, 11);
        order(ACME_SHOP, 22);
        Inbox.awaitDrained(server.db());
    }

    void order(String shop, long id) {
        Instant at = Instant.parse("2026-02-01T09:00:00Z");
        http().postShopify(ShopifyPayloads.order(new OrderVersion(id, at, at, "paid", null, null, "5.00", 1)),
                Shopify.TOPIC_HEADER, "orders/create", Shopify.SHOP_HEADER, shop, Shopify.WEBHOOK_ID_HEADER, "w-" + id,
                Shopify.EVENT_ID_HEADER, "e-" + id, Shopify.TRIGGERED_AT_HEADER, at.toString(),
                Shopify.API_VERSION_HEADER, "2026-01");
    }

    @Test
    void each_business_lists_only_its_own_conversations_messages_orders_and_channels() {
        assertThat(texts(OPERATOR)).containsExactly("for default");
        assertThat(texts(acme)).containsExactly("for acme");
        assertThat(orderIds(OPERATOR)).containsExactly(11L);
        assertThat(orderIds(acme)).containsExactly(22L);
        assertThat(http().api("GET", "/v1/channels", null, acme).json().path("items")).hasSize(2);
        assertThat(http().api("GET", "/v1/channels", null, acme).body()).doesNotContain(DEFAULT_PHONE, DEFAULT_SHOP);
        assertThat(server.db().count("SELECT count(*) FROM message m JOIN business b ON b.id = m.business_id "
                + "WHERE b.name = 'Acme' AND m.external_id = 'wamid.acme'")).isEqualTo(1);
    }

    @Test
    void another_business_ids_answer_404_or_nothing() {
        long defaultConversation = http().api("GET", "/v1/conversations", null, OPERATOR).json()
                .path("items").get(0).path("id").asLong();
        long defaultEvent = http().api("GET", "/v1/inbox/events?source=whatsapp&partition_key=" + DEFAULT_PHONE, null,
                OPERATOR).json().path("items").get(0).path("id").asLong();

        assertThat(http().api("GET", "/v1/orders/11", null, acme).status()).isEqualTo(404);
        assertThat(http().api("GET", "/v1/orders/11/audit", null, acme).status()).isEqualTo(404);
        assertThat(http().api("GET", "/v1/orders/22", null, OPERATOR).status()).isEqualTo(404);
        assertThat(http().api("GET", "/v1/conversations/" + defaultConversation + "/messages", null, acme).status())
                .isEqualTo(404);
        assertThat(http().api("GET", "/v1/messages?external_id=wamid.default", null, acme).json().path("items")).isEmpty();
        assertThat(http().api("GET", "/v1/inbox/events?source=whatsapp&partition_key=" + DEFAULT_PHONE, null, acme)
                .json().path("items")).isEmpty();
        assertThat(http().api("POST", "/v1/inbox/" + defaultEvent + "/replay", null, acme).status()).isEqualTo(404);
        assertThat(http().api("POST", "/v1/inbox/" + defaultEvent + "/replay", null, OPERATOR).status())
                .as("the owner is told it is not dead, not that it does not exist").isEqualTo(409);
    }

    @Test
    void a_provider_account_belongs_to_one_business() {
        Http.Response taken = http().api("POST", "/v1/channels", "{\"phone_number_id\": \"" + DEFAULT_PHONE + "\"}", acme);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().path("message").asText()).contains("another business");
        assertThat(http().api("POST", "/v1/channels", "{\"shop_domain\": \"" + ACME_SHOP + "\"}", OPERATOR).status())
                .isEqualTo(409);
        assertThat(http().api("POST", "/v1/channels", "{\"shop_domain\": \"" + ACME_SHOP + "\"}", acme).status())
                .as("registering one's own account again is harmless").isEqualTo(200);
        assertThat(server.db().count("SELECT count(*) FROM channel")).isEqualTo(4);
    }

    @Test
    void sms_numbers_and_email_senders_are_channels_of_one_business_too() {
        assertThat(http().api("POST", "/v1/channels", "{\"sms_number\": \"+15551230001\"}", acme).status()).isEqualTo(201);
        Http.Response email = http().api("POST", "/v1/channels", "{\"email_from\": \"Orders@Acme.example\"}", acme);
        assertThat(email.status()).isEqualTo(201);
        assertThat(email.json().path("email_from").asText()).isEqualTo("orders@acme.example");

        assertThat(http().api("POST", "/v1/channels", "{\"sms_number\": \"+15551230001\"}", OPERATOR).status()).isEqualTo(409);
        assertThat(http().api("POST", "/v1/channels", "{\"email_from\": \"orders@acme.example\"}", OPERATOR).status()).isEqualTo(409);
        for (String bad : List.of("{\"sms_number\": \"5551230001\"}", "{\"sms_number\": \"+1555abc\"}",
                "{\"email_from\": \"not an address\"}", "{\"sms_number\": \"+15551230002\", \"email_from\": \"a@b.co\"}",
                "{\"phone_number_id\": 42}", "{}")) {
            Http.Response r = http().api("POST", "/v1/channels", bad, acme);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().path("message").asText()).as(bad).isNotBlank();
        }
        assertThat(http().api("GET", "/v1/channels", null, acme).json().path("items")).hasSize(4);
    }

    @Test
    void dead_letters_are_the_business_of_their_account() {
        server.db().execute("UPDATE inbox_event SET status = 'dead', dead_at = now(), processed_at = NULL, last_error = 'test'");

        JsonNode acmeDead = http().api("GET", "/v1/inbox/dead", null, acme).json().path("items");
        JsonNode defaultDead = http().api("GET", "/v1/inbox/dead", null, OPERATOR).json().path("items");
        assertThat(acmeDead).hasSize(2);
        assertThat(acmeDead.toString()).contains(ACME_PHONE, ACME_SHOP).doesNotContain(DEFAULT_PHONE, DEFAULT_SHOP);
        assertThat(defaultDead).hasSize(2);
        assertThat(defaultDead.toString()).doesNotContain(ACME_PHONE, ACME_SHOP);
    }

    @Test
    void the_live_feed_of_each_business_carries_only_its_own_changes() throws Exception {
        java.net.URI base = java.net.URI.create("http://127.0.0.1:" + server.node().port());
        try (LiveClient acmeFeed = LiveClient.connect(base, acme); LiveClient defaultFeed = LiveClient.connect(base, OPERATOR)) {
            http().postWebhook(new WhatsAppPayloads(ACME_PHONE, "1666").messages(
                    List.of(new Message("wamid.acme.live", "15550002", "Ace", 1_700_000_100L, "live acme"))));
            http().postWebhook(new WhatsAppPayloads(DEFAULT_PHONE, "1555").messages(
                    List.of(new Message("wamid.default.live", "15550001", "Dee", 1_700_000_100L, "live default"))));
            order(ACME_SHOP, 33);
            Inbox.awaitDrained(server.db());

            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(acmeFeed.received().toString()).contains("wamid.acme.live", "\"shopify_order_id\":33");
                assertThat(defaultFeed.received().toString()).contains("wamid.default.live");
            });
            assertThat(acmeFeed.received().toString()).doesNotContain("wamid.default");
            assertThat(defaultFeed.received().toString()).doesNotContain("wamid.acme", "\"shopify_order_id\":33");
        }
    }

    private List<String> texts(String credential) {
        JsonNode conversations = http().api("GET", "/v1/conversations", null, credential).json().path("items");
        List<String> texts = new java.util.ArrayList<>();
        for (JsonNode c : conversations) {
            for (JsonNode m : http().api("GET", "/v1/conversations/" + c.path("id").asLong() + "/messages", null, credential)
                    .json().path("items")) {
                texts.add(m.path("text").asText());
            }
        }
        return texts;
    }

    private List<Long> orderIds(String credential) {
        List<Long> ids = new java.util.ArrayList<>();
        http().api("GET", "/v1/orders", null, credential).json().path("items")
                .forEach(o -> ids.add(o.path("shopify_order_id").asLong()));
        return ids;
    }
}
