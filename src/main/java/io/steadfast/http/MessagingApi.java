package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.json.Json;
import io.steadfast.messaging.Channel;
import io.steadfast.messaging.Channels;
import io.steadfast.messaging.MessagingQueries;
import io.steadfast.messaging.MessagingQueries.ConversationView;
import io.steadfast.messaging.MessagingQueries.MessageView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Conversations, their messages, and the channels that feed them. */
final class MessagingApi {
    static final int MAX_CONVERSATIONS = 500;
    static final int MAX_MESSAGES = 1_000;
    private static final String CHANNEL_USAGE = "send {\"phone_number_id\": \"<WhatsApp phone number id>\"} (and "
            + "optionally \"display_phone_number\"), or {\"shop_domain\": \"<shop>.myshopify.com\"}";

    private final Jdbi jdbi;
    private final MessagingQueries queries;

    MessagingApi(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.queries = new MessagingQueries(jdbi);
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/conversations", this::conversations);
        routes.get("/v1/conversations/{id}/messages", this::messages);
        routes.get("/v1/messages", this::messagesByExternalId);
        routes.get("/v1/channels", this::channels);
        routes.post("/v1/channels", this::registerChannel);
    }

    private void conversations(Context ctx) {
        int limit = Pages.limit(ctx, 50, MAX_CONVERSATIONS);
        Optional<ConversationView> before = Cursor.decode(ctx.queryParam("cursor"))
                .map(c -> new ConversationView(c.id(), null, null, null, null, c.at()));
        List<ConversationView> rows = queries.conversations(Authentication.caller(ctx).businessId(), limit, before);
        Pages.write(ctx, rows, limit, MessagingApi::conversationJson, c -> new Cursor(c.lastMessageAt(), c.id()));
    }

    private void messages(Context ctx) {
        long businessId = Authentication.caller(ctx).businessId();
        long conversationId = pathId(ctx, "id");
        int limit = Pages.limit(ctx, 100, MAX_MESSAGES);
        if (!queries.conversationExists(businessId, conversationId)) {
            throw InvalidRequestException.notFound("no conversation has id " + conversationId);
        }
        Optional<MessageView> after = Cursor.decode(ctx.queryParam("cursor"))
                .map(c -> new MessageView(0, conversationId, null, null, null, null, null, null, c.at(), c.id()));
        List<MessageView> rows = queries.messages(businessId, conversationId, limit, after);
        Pages.write(ctx, rows, limit, MessagingApi::messageJson, m -> new Cursor(m.providerTimestamp(), m.arrivalSeq()));
    }

    private void messagesByExternalId(Context ctx) {
        String externalId = ctx.queryParam("external_id");
        if (externalId == null || externalId.isBlank()) {
            throw InvalidRequestException.badRequest("pass the provider's message id: /v1/messages?external_id=<wamid>");
        }
        List<MessageView> rows = queries.messagesByExternalId(Authentication.caller(ctx).businessId(), externalId);
        ctx.json(Map.of("items", rows.stream().map(MessagingApi::messageJson).toList()));
    }

    private void channels(Context ctx) {
        List<Channel> channels = Channels.list(jdbi, Authentication.caller(ctx).businessId());
        ctx.json(Map.of("items", channels.stream().map(MessagingApi::channelJson).toList()));
    }

    private void registerChannel(Context ctx) {
        long businessId = Authentication.admin(ctx).businessId();
        JsonBody body = JsonBody.of(ctx, CHANNEL_USAGE);
        boolean shop = body.has("shop_domain");
        String kind = shop ? Channels.SHOPIFY : Channels.WHATSAPP;
        String account = body.optionalText(shop ? "shop_domain" : "phone_number_id").filter(a -> !a.isBlank())
                .orElseThrow(() -> InvalidRequestException.badRequest(CHANNEL_USAGE));
        String display = body.optionalText("display_phone_number").orElse(null);
        boolean existed = Channels.find(jdbi, kind, account).isPresent();
        Channel channel = Channels.register(jdbi, businessId, kind, account, display);
        if (channel.businessId() != businessId) {
            throw InvalidRequestException.conflict(account + " is registered to another business; one provider "
                    + "account belongs to one business");
        }
        ctx.status(existed ? 200 : 201).json(channelJson(channel));
    }

    static long pathId(Context ctx, String name) {
        String raw = ctx.pathParam(name);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw InvalidRequestException.badRequest(name + " must be a whole number, got '" + raw + "'");
        }
    }

    private static Map<String, Object> conversationJson(ConversationView c) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("wa_id", c.customerWaId());
        customer.put("name", c.customerName());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", c.id());
        json.put("channel", c.channel());
        json.put("phone_number_id", c.accountId());
        json.put("customer", customer);
        json.put("last_message_at", c.lastMessageAt().toString());
        return json;
    }

    static Map<String, Object> messageJson(MessageView m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", m.id());
        json.put("conversation_id", m.conversationId());
        json.put("external_id", m.externalId());
        json.put("direction", m.direction());
        json.put("type", m.type());
        json.put("text", m.text());
        json.put("status", m.status());
        json.put("status_errors", m.statusErrors() == null ? null : Json.parse(m.statusErrors()));
        json.put("provider_timestamp", m.providerTimestamp().toString());
        return json;
    }

    private static Map<String, Object> channelJson(Channel c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", c.id());
        json.put("kind", c.kind());
        if (c.kind().equals(Channels.SHOPIFY)) {
            json.put("shop_domain", c.accountId());
        } else {
            json.put("phone_number_id", c.accountId());
            json.put("display_phone_number", c.displayName());
        }
        return json;
    }
}
