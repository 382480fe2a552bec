package io.steadfast.shopify;

import io.steadfast.simulator.ShopifyPayloads;
import io.steadfast.simulator.ShopifyPayloads.OrderVersion;
import io.steadfast.support.Http;
import java.time.Instant;

/** Order webhooks for tests: one shop, one order id per test, versions by minute. */
final class Orders {
    static final String SHOP = "steadfast-test.myshopify.com";
    static final Instant CREATED = Instant.parse("2026-02-01T09:00:00Z");

    private Orders() {
    }

    static OrderVersion version(long orderId, int minute, String financialStatus) {
        return new OrderVersion(orderId, CREATED, CREATED.plusSeconds(60L * minute), financialStatus, null, null,
                minute + ".00", 1 + minute % 3);
    }

    static Http.Response send(Http http, String topic, OrderVersion v, String webhookId, String eventId) {
        return http.postShopify(ShopifyPayloads.order(v), Shopify.TOPIC_HEADER, topic, Shopify.SHOP_HEADER, SHOP,
                Shopify.WEBHOOK_ID_HEADER, webhookId, Shopify.EVENT_ID_HEADER, eventId,
                Shopify.TRIGGERED_AT_HEADER, v.updatedAt().toString(), Shopify.API_VERSION_HEADER, "2026-01");
    }
}
