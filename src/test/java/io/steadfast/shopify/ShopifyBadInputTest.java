package io.steadfast.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.simulator.ShopifyPayloads;
import io.steadfast.support.Http;
import io.steadfast.support.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every malformed Shopify webhook gets a clear error and leaves nothing behind. */
class ShopifyBadInputTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final byte[] ORDER = ShopifyPayloads.order(Orders.version(9, 1, "paid"));

    @AfterEach
    void nothing_was_stored() {
        assertThat(server.db().storedRows()).isZero();
    }

    @Test
    void a_missing_or_wrong_hmac_is_401() {
        assertError(server.http().post("/webhooks/shopify", "application/json", ORDER, Shopify.TOPIC_HEADER,
                "orders/create", Shopify.SHOP_HEADER, Orders.SHOP, Shopify.WEBHOOK_ID_HEADER, "w"), 401, "missing");
        assertError(server.http().post("/webhooks/shopify", "application/json", ORDER, Shopify.HMAC_HEADER,
                new ShopifySignature("another-secret-0123456789").sign(ORDER), Shopify.TOPIC_HEADER, "orders/create",
                Shopify.SHOP_HEADER, Orders.SHOP, Shopify.WEBHOOK_ID_HEADER, "w"), 401, "does not match");
        assertError(server.http().post("/webhooks/shopify", "application/json", ORDER, Shopify.HMAC_HEADER, "%%%",
                Shopify.TOPIC_HEADER, "orders/create", Shopify.SHOP_HEADER, Orders.SHOP, Shopify.WEBHOOK_ID_HEADER, "w"),
                401, "base64");
    }

    @Test
    void header_names_are_case_insensitive_but_each_required_header_must_be_there() {
        Http.Response lowerCase = server.http().postShopify(ORDER, "x-shopify-topic", "orders/create",
                "x-shopify-shop-domain", Orders.SHOP);
        assertError(lowerCase, 400, Shopify.WEBHOOK_ID_HEADER);
        assertError(server.http().postShopify(ORDER, Shopify.SHOP_HEADER, Orders.SHOP, Shopify.WEBHOOK_ID_HEADER, "w"),
                400, Shopify.TOPIC_HEADER);
        assertError(server.http().postShopify(ORDER, Shopify.TOPIC_HEADER, "orders/create", Shopify.WEBHOOK_ID_HEADER,
                "w"), 400, Shopify.SHOP_HEADER);
    }

    @Test
    void an_unknown_topic_is_400_and_names_the_topics_taken() {
        Http.Response r = send("products/update", ORDER);
        assertError(r, 400, "orders/updated");
        assertThat(r.json().path("error").asText()).isEqualTo("unknown_topic");
    }

    @Test
    void an_order_that_cannot_be_stored_is_400_and_names_the_field() {
        assertError(send("orders/create", "{oops".getBytes(StandardCharsets.UTF_8)), 400, "not valid JSON");
        assertError(send("orders/create", "[1]".getBytes(StandardCharsets.UTF_8)), 400, "JSON object");
        assertError(send("orders/create", json("{\"id\":\"12\",\"updated_at\":\"2026-01-01T00:00:00Z\"}")), 400, "\"id\"");
        assertError(send("orders/create", json("{\"id\":12,\"currency\":\"USD\",\"total_price\":\"1\"}")), 400, "updated_at");
        assertError(send("orders/create", json("{\"id\":12,\"updated_at\":\"yesterday\",\"currency\":\"USD\","
                + "\"total_price\":\"1\"}")), 400, "ISO-8601");
        assertError(send("orders/create", json("{\"id\":12,\"updated_at\":\"2026-01-01T00:00:00Z\",\"currency\":\"USD\","
                + "\"total_price\":\"-5.00\"}")), 400, "negative");
        assertError(send("orders/create", json("{\"id\":12,\"updated_at\":\"2026-01-01T00:00:00Z\",\"currency\":\"USD\","
                + "\"total_price\":\"ten\"}")), 400, "total_price");
        assertError(send("orders/create", json("{\"id\":12,\"updated_at\":\"2026-01-01T00:00:00Z\",\"currency\":\"USD\","
                + "\"total_price\":\"1\",\"line_items\":{}}")), 400, "line_items");
    }

    @Test
    void the_wrong_content_type_is_415_and_an_oversize_body_413() {
        assertError(server.http().post("/webhooks/shopify", "text/plain", ORDER), 415, "application/json");
        assertError(server.http().post("/webhooks/shopify", "application/json", new byte[2 * 1024 * 1024]), 413,
                "limit");
    }

    private static Http.Response send(String topic, byte[] body) {
        return server.http().postShopify(body, Shopify.TOPIC_HEADER, topic, Shopify.SHOP_HEADER, Orders.SHOP,
                Shopify.WEBHOOK_ID_HEADER, "w-bad");
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertError(Http.Response r, int status, String messageContains) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("message").asText()).contains(messageContains);
    }
}
