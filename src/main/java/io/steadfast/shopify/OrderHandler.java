package io.steadfast.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.config.Config;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.inbox.PermanentFailure;
import io.steadfast.json.Json;
import io.steadfast.messaging.Channel;
import io.steadfast.messaging.Channels;
import io.steadfast.orders.OrderDelivery;
import io.steadfast.orders.OrderPayloadParser;
import io.steadfast.orders.OrderWrites;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** An order delivery: its shop's business, then the order state and the audit log (see {@link OrderWrites}). */
public final class OrderHandler implements EventHandler {
    private final boolean autoRegisterShops;

    public OrderHandler(boolean autoRegisterShops) {
        this.autoRegisterShops = autoRegisterShops;
    }

    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        List<JsonNode> payloads = events.stream().map(OrderHandler::read).toList();
        Map<String, String> shops = new LinkedHashMap<>();
        payloads.forEach(p -> shops.putIfAbsent(p.path("shop_domain").asText(), null));
        Map<String, Channel> channels = Channels.resolve(tx, Channels.SHOPIFY, shops, autoRegisterShops);
        for (String shop : shops.keySet()) {
            if (!channels.containsKey(shop)) {
                throw new PermanentFailure("no channel is registered for Shopify shop " + shop + " and "
                        + "auto-registration is off (" + Config.AUTO_REGISTER_CHANNELS + "=false); register it with "
                        + "POST /v1/channels {\"shop_domain\": \"" + shop + "\"}, then replay this event with "
                        + "POST /v1/inbox/{id}/replay");
            }
        }
        List<OrderDelivery> deliveries = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode p = payloads.get(i);
            deliveries.add(delivery(events.get(i), p, channels.get(p.path("shop_domain").asText()).businessId()));
        }
        OrderWrites.applyAll(tx, deliveries);
    }

    @Override
    public void deadLettered(InboxEvent event, String reason, Handle tx) {
        JsonNode payload;
        try {
            payload = read(event);
        } catch (PermanentFailure e) {
            return; // nothing to audit an order by
        }
        Optional<Channel> channel = Optional.ofNullable(Channels.resolve(tx, Channels.SHOPIFY,
                Map.of(payload.path("shop_domain").asText(), ""), false).get(payload.path("shop_domain").asText()));
        channel.ifPresent(c -> OrderWrites.recordFailure(tx, delivery(event, payload, c.businessId()), reason));
    }

    private static OrderDelivery delivery(InboxEvent event, JsonNode payload, long businessId) {
        String triggeredAt = payload.path("triggered_at").asText(null);
        try {
            return new OrderDelivery(businessId, payload.path("shop_domain").asText(),
                    OrderPayloadParser.parse(payload.path("order")), event.id(), payload.path("webhook_id").asText(),
                    payload.path("event_id").asText(null), payload.path("topic").asText(),
                    triggeredAt == null ? null : OffsetDateTime.parse(triggeredAt).toInstant());
        } catch (InvalidRequestException e) {
            throw new PermanentFailure("event " + event.id() + " holds an order Steadfast cannot store: " + e.getMessage());
        }
    }

    private static JsonNode read(InboxEvent event) {
        try {
            return Json.MAPPER.readTree(event.payload());
        } catch (IOException e) {
            throw new PermanentFailure("event " + event.id() + " has a payload that is not JSON: " + e.getMessage());
        }
    }
}
