package io.steadfast.simulator;

import io.steadfast.shopify.Shopify;
import io.steadfast.shopify.ShopifySignature;
import io.steadfast.simulator.ShopifyPayloads.OrderVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One Shopify order webhook: a version of an order, under a webhook id (its dedup key) and an event id. */
public record ShopifyDelivery(String webhookId, String eventId, String shop, String topic, OrderVersion version,
                              byte[] body) implements Sendable {

    public static ShopifyDelivery of(String webhookId, String eventId, String shop, String topic, OrderVersion version) {
        return new ShopifyDelivery(webhookId, eventId, shop, topic, version, ShopifyPayloads.order(version));
    }

    @Override
    public String id() {
        return webhookId;
    }

    @Override
    public List<String> keys() {
        return List.of(webhookId);
    }

    @Override
    public String path() {
        return "/webhooks/shopify";
    }

    @Override
    public Map<String, String> headers(Secrets secrets) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Shopify.HMAC_HEADER, new ShopifySignature(secrets.shopifySecret()).sign(body));
        headers.put(Shopify.TOPIC_HEADER, topic);
        headers.put(Shopify.SHOP_HEADER, shop);
        headers.put(Shopify.WEBHOOK_ID_HEADER, webhookId);
        headers.put(Shopify.EVENT_ID_HEADER, eventId);
        headers.put(Shopify.TRIGGERED_AT_HEADER, version.updatedAt().toString());
        headers.put(Shopify.API_VERSION_HEADER, "2025-01");
        return headers;
    }
}
