package io.steadfast.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.config.Config;
import io.steadfast.node.Node;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /v1/sync pushes order changes and new messages as they commit, on any node, and replays from a cursor. */
class SyncTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final String SHOP = "sync-test.myshopify.com";
    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    @Test
    void a_client_on_another_node_receives_every_applied_change_and_ends_with_the_final_state() throws Exception {
        Node ingestOnly = TestNodes.start(TestNodes.with(TestNodes.settings(server.db().database().url()),
                Config.ROLE, "ingest"));
        try (ingestOnly; LiveClient client = connect(ingestOnly.port(), "")) {
            for (int minute : List.of(3, 1, 5, 2, 4)) {
                sendOrder(server.http(), 501, minute, "w-" + minute);
            }
            server.http().postWebhook(new WhatsAppPayloads("5550101", "+1 555 0101").messages(List.of(
                    new Message("wamid.sync.1", "15550109", "Rui", T0.getEpochSecond(), "hello"))));
            Inbox.awaitDrained(server.db());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<JsonNode> orders = client.received().stream().filter(m -> m.path("type").asText().equals("order")).toList();
                assertThat(orders).isNotEmpty();
                assertThat(orders.getLast().path("order").path("updated_at").asText())
                        .isEqualTo(T0.plusSeconds(5 * 60).toString());
                assertThat(orders.getLast().path("order").path("version").asInt())
                        .isEqualTo(server.http().get("/v1/orders/501").json().path("version").asInt());
                assertThat(client.received()).anySatisfy(m -> {
                    assertThat(m.path("type").asText()).isEqualTo("message");
                    assertThat(m.path("message").path("external_id").asText()).isEqualTo("wamid.sync.1");
                });
            });
            List<Long> seqs = client.received().stream().map(m -> m.path("seq").asLong()).toList();
            assertThat(seqs).doesNotHaveDuplicates();
        }
    }

    @Test
    void store_orders_are_on_the_feed_as_they_are_placed_and_moved() throws Exception {
        String json = "{\"sku\": \"FEED-1\", \"name\": \"x\", \"price\": \"3.00\", \"currency\": \"EUR\", \"stock\": 5}";
        long product = server.http().postApi("/v1/store/products", json).json().path("id").asLong();
        server.http().postApi("/v1/store/products/" + product + "/activate", "{}");
        try (LiveClient client = connect(server.node().port(), "")) {
            long order = server.http().post("/v1/store/orders", "application/json", ("{\"items\": [{\"product_id\": "
                            + product + ", \"quantity\": 2}]}").getBytes(), "Authorization", "Bearer " + TestNodes.API_TOKEN,
                    "Idempotency-Key", "feed-1").json().path("id").asLong();
            server.http().postApi("/v1/store/orders/" + order + "/ship", "{}");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.received().stream()
                    .filter(m -> m.path("type").asText().equals("store_order"))
                    .map(m -> m.path("store_order").path("id").asLong() + ":" + m.path("store_order").path("status").asText()))
                    .contains(order + ":shipped"));
            assertThat(client.received().stream().filter(m -> m.path("type").asText().equals("store_order")))
                    .as("placed, then shipped").hasSize(2);
        }
    }

    @Test
    void a_client_that_reconnects_with_its_cursor_gets_what_it_missed() throws Exception {
        long cursor;
        try (LiveClient first = connect(server.node().port(), "")) {
            sendOrder(server.http(), 601, 1, "w-601-1");
            Inbox.awaitDrained(server.db());
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.received().isEmpty());
            cursor = first.received().getLast().path("seq").asLong();
        }
        sendOrder(server.http(), 601, 2, "w-601-2");
        sendOrder(server.http(), 602, 1, "w-602-1");
        Inbox.awaitDrained(server.db());

        try (LiveClient again = connect(server.node().port(), "?since=" + cursor)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(again.received())
                    .extracting(m -> m.path("order").path("shopify_order_id").asLong() + "@" + m.path("order").path("version").asInt())
                    .contains("601@2", "602@1"));
            assertThat(again.received()).allSatisfy(m -> assertThat(m.path("seq").asLong()).isGreaterThan(cursor));
        }
    }

    @Test
    void the_sync_socket_needs_the_api_token_and_a_sane_cursor() {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("ws://127.0.0.1:" + server.node().port() + "/v1/sync");
        assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS)).satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(401));
        assertThatThrownBy(() -> connect(server.node().port(), "?since=-3"))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(400));
    }

    private static int handshakeStatus(Throwable e) {
        Throwable cause = e instanceof ExecutionException ? e : e.getCause(); // LiveClient wraps what the JDK throws
        assertThat(cause).isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) cause.getCause()).getResponse().statusCode();
    }

    private static LiveClient connect(int port, String query) {
        return LiveClient.connect(URI.create("http://127.0.0.1:" + port), TestNodes.API_TOKEN, query);
    }

    private static void sendOrder(Http http, long orderId, int minute, String webhookId) {
        OrderVersion v = new OrderVersion(orderId, T0, T0.plusSeconds(60L * minute), "paid", null, null, minute + ".00", 1);
        Http.Response r = http.postShopify(ShopifyPayloads.order(v), Shopify.TOPIC_HEADER, "orders/updated",
                Shopify.SHOP_HEADER, SHOP, Shopify.WEBHOOK_ID_HEADER, webhookId);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
}
