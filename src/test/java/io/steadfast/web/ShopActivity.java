package io.steadfast.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.shopify.Shopify;
import io.steadfast.simulator.ShopifyPayloads;
import io.steadfast.simulator.ShopifyPayloads.OrderVersion;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** What happens in the shop while the dashboard watches: customers write, Shopify sends updates, products are made. */
final class ShopActivity {
    static final String OPERATOR = TestNodes.API_TOKEN;

    private final TestServer server;
    private final WhatsAppCloudSimulator whatsapp;
    private final WhatsAppPayloads payloads;
    private final String shopDomain;
    private final AtomicInteger ids = new AtomicInteger();

    ShopActivity(TestServer server, WhatsAppCloudSimulator whatsapp, String phoneNumberId, String shopDomain) {
        this.server = server;
        this.whatsapp = whatsapp;
        this.payloads = new WhatsAppPayloads(phoneNumberId, "+1 555 0100");
        this.shopDomain = shopDomain;
    }

    WhatsAppPayloads payloads() {
        return payloads;
    }

    /** A customer's WhatsApp message, signed as Meta signs it; answers its wamid. */
    String customerWrites(String waId, String name, String text) {
        String wamid = "wamid.dash-" + ids.incrementAndGet();
        assertThat(server.http().postWebhook(payloads.messages(List.of(new Message(wamid, waId, name,
                Instant.now().getEpochSecond(), text)))).status()).isEqualTo(200);
        return wamid;
    }

    long conversationOf(String waId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> conversationId(waId) > 0);
        return conversationId(waId);
    }

    private long conversationId(String waId) {
        for (JsonNode c : server.http().api("GET", "/v1/conversations?limit=500", null, OPERATOR).json().path("items")) {
            if (c.at("/customer/wa_id").asText().equals(waId)) {
                return c.path("id").asLong();
            }
        }
        return 0;
    }

    /** How many times the provider was asked to send this text. */
    long callsWithText(String text) {
        return whatsapp.calls().stream().filter(c -> text.equals(c.text())).count();
    }

    static OrderVersion order(long id, int minute, String financialStatus) {
        Instant created = Instant.parse("2026-11-30T09:00:00Z");
        return new OrderVersion(id, created, created.plusSeconds(60L * minute), financialStatus, null, null,
                minute + "0.00", 1);
    }

    void shopify(String topic, OrderVersion v, String webhookId) {
        assertThat(server.http().postShopify(ShopifyPayloads.order(v), Shopify.TOPIC_HEADER, topic, Shopify.SHOP_HEADER, shopDomain,
                Shopify.WEBHOOK_ID_HEADER, webhookId, Shopify.EVENT_ID_HEADER, "e-" + webhookId,
                Shopify.TRIGGERED_AT_HEADER, v.updatedAt().toString(), Shopify.API_VERSION_HEADER, "2026-01").status())
                .isEqualTo(200);
    }

    /** An order created, then an update of it dead-lettered (webhook ids {@code <prefix>-1}, {@code <prefix>-2}). */
    void deadLetter(long orderId, String webhookPrefix) {
        shopify("orders/create", order(orderId, 1, "pending"), webhookPrefix + "-1");
        Inbox.awaitDrained(server.db());
        server.node().workers().orElseThrow().pause();
        shopify("orders/paid", order(orderId, 2, "paid"), webhookPrefix + "-2");
        // as if every worker that took it had died mid-event: the next claim is one attempt too many
        server.db().execute("UPDATE inbox_event SET attempts = " + server.node().config().maxAttempts()
                + " WHERE dedup_key = '" + webhookPrefix + "-2'");
        server.node().workers().orElseThrow().resume();
        Inbox.awaitDrained(server.db());
    }

    /** An active product with {@code stock} units, made through the API. */
    long product(String sku, int stock) {
        long id = server.http().api("POST", "/v1/store/products", "{\"sku\": \"" + sku + "\", \"name\": \"Mug " + sku
                + "\", \"price\": \"12.50\", \"currency\": \"USD\", \"stock\": " + stock + "}", OPERATOR).json()
                .path("id").asLong();
        assertThat(server.http().api("POST", "/v1/store/products/" + id + "/activate", null, OPERATOR).status()).isEqualTo(200);
        return id;
    }
}
