package io.steadfast.shopify;

import java.util.Set;

/** Names Shopify webhooks carry, and the names their events carry in the inbox. */
public final class Shopify {
    public static final String SOURCE = "shopify";
    public static final String ORDER_EVENT = "shopify.order";
    public static final String HMAC_HEADER = "X-Shopify-Hmac-Sha256";
    public static final String TOPIC_HEADER = "X-Shopify-Topic";
    public static final String SHOP_HEADER = "X-Shopify-Shop-Domain";
    public static final String WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id";
    public static final String EVENT_ID_HEADER = "X-Shopify-Event-Id";
    public static final String TRIGGERED_AT_HEADER = "X-Shopify-Triggered-At";
    public static final String API_VERSION_HEADER = "X-Shopify-API-Version";
    public static final Set<String> ORDER_TOPICS = Set.of("orders/create", "orders/updated", "orders/paid",
            "orders/cancelled", "orders/fulfilled");

    private Shopify() {
    }
}
