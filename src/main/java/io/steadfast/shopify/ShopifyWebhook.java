package io.steadfast.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.inbox.AppendResult;
import io.steadfast.inbox.Appender;
import io.steadfast.inbox.IncomingRequest;
import io.steadfast.inbox.NewEvent;
import io.steadfast.json.Json;
import io.steadfast.orders.OrderPayloadParser;
import io.steadfast.webhook.WebhookRequests;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code POST /webhooks/shopify}: an order webhook, checked (HMAC, headers, topic, order JSON) and answered 200
 * only once its event is committed. One delivery is one event, deduplicated by {@code X-Shopify-Webhook-Id}.
 */
public final class ShopifyWebhook {
    static final int MAX_HEADER_LENGTH = 255;
    /** What the inbox keeps of a request's headers. */
    static final Set<String> KEPT_HEADERS = WebhookRequests.keeping(Shopify.HMAC_HEADER, Shopify.TOPIC_HEADER,
            Shopify.SHOP_HEADER, Shopify.WEBHOOK_ID_HEADER, Shopify.EVENT_ID_HEADER, Shopify.TRIGGERED_AT_HEADER,
            Shopify.API_VERSION_HEADER);

    private final ShopifySignature signature;
    private final Appender appender;
    private final int maxBodyBytes;
    private final Clock clock;

    public ShopifyWebhook(String secret, Appender appender, int maxBodyBytes, Clock clock) {
        this.signature = new ShopifySignature(secret);
        this.appender = appender;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    public void receive(Context ctx) {
        byte[] body = WebhookRequests.jsonBody(ctx, maxBodyBytes);
        signature.verify(body, ctx.header(Shopify.HMAC_HEADER));
        String topic = required(ctx, Shopify.TOPIC_HEADER);
        String shop = required(ctx, Shopify.SHOP_HEADER);
        String webhookId = required(ctx, Shopify.WEBHOOK_ID_HEADER);
        if (!Shopify.ORDER_TOPICS.contains(topic)) {
            throw new InvalidRequestException("unknown_topic", 400, Shopify.TOPIC_HEADER + " '" + topic
                    + "' is not a topic this endpoint takes; subscribe only " + new TreeSet<>(Shopify.ORDER_TOPICS));
        }
        String triggeredAt = optional(ctx, Shopify.TRIGGERED_AT_HEADER);
        if (triggeredAt != null) {
            try {
                OffsetDateTime.parse(triggeredAt);
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("invalid_header", 400, Shopify.TRIGGERED_AT_HEADER
                        + " must be an ISO-8601 time, got '" + triggeredAt + "'");
            }
        }
        JsonNode order = OrderPayloadParser.readObject(body);
        OrderPayloadParser.parse(order);
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("topic", topic);
        payload.put("shop_domain", shop);
        payload.put("webhook_id", webhookId);
        payload.put("event_id", optional(ctx, Shopify.EVENT_ID_HEADER));
        payload.put("triggered_at", triggeredAt);
        payload.put("api_version", optional(ctx, Shopify.API_VERSION_HEADER));
        payload.set("order", order);
        AppendResult result = appender.append(
                IncomingRequest.of(Shopify.SOURCE, WebhookRequests.headers(ctx, KEPT_HEADERS), body, clock.instant()),
                List.of(new NewEvent(Shopify.SOURCE, shop, webhookId, Shopify.ORDER_EVENT, payload.toString())));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("accepted", result.accepted());
        response.put("duplicates", result.duplicates());
        ctx.json(response);
    }

    private static String required(Context ctx, String header) {
        String value = optional(ctx, header);
        if (value == null) {
            throw new InvalidRequestException("missing_header", 400, "the " + header + " header is required; "
                    + "Shopify sends it with every webhook");
        }
        return value;
    }

    private static String optional(Context ctx, String header) {
        String value = ctx.header(header);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_HEADER_LENGTH) {
            throw new InvalidRequestException("invalid_header", 400, header + " is longer than " + MAX_HEADER_LENGTH
                    + " characters");
        }
        return value.trim();
    }
}
