package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.json.Json;
import io.steadfast.messaging.Channel;
import io.steadfast.messaging.Channels;
import io.steadfast.messaging.MessageAnalytics;
import io.steadfast.messaging.MessagingQueries;
import io.steadfast.messaging.MessagingQueries.ConversationView;
import io.steadfast.messaging.MessagingQueries.MessageView;
import io.steadfast.outbound.OutboundMessage;
import io.steadfast.outbound.OutboundMessages;
import io.steadfast.outbound.OutboundStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Conversations, their messages, and the channels that feed them. */
final class MessagingApi {
    static final int MAX_CONVERSATIONS = 500;
    static final int MAX_MESSAGES = 1_000;
    static final int MAX_QUERY = 200;
    static final int MAX_DAYS = 366;
    private static final String CHANNEL_USAGE = "send one of {\"phone_number_id\": \"<WhatsApp phone number id>\"} (and "
            + "optionally \"display_phone_number\"), {\"shop_domain\": \"<shop>.myshopify.com\"}, "
            + "{\"sms_number\": \"<E.164 number>\"} or {\"email_from\": \"<address>\"}";

    private final Jdbi jdbi;
    private final MessagingQueries queries;
    private final OutboundMessages outbound;

    private final MessageAnalytics analytics;

    MessagingApi(Jdbi jdbi, java.time.Clock clock) {
        this.jdbi = jdbi;
        this.queries = new MessagingQueries(jdbi);
        this.outbound = new OutboundMessages(jdbi);
        this.analytics = new MessageAnalytics(jdbi, clock);
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/conversations", this::conversations);
        routes.get("/v1/conversations/{id}", this::conversation);
        routes.get("/v1/conversations/{id}/messages", this::messages);
        routes.post("/v1/conversations/{id}/read", this::markRead);
        routes.get("/v1/messages", this::messagesByExternalId);
        routes.get("/v1/messages/search", this::search);
        routes.get("/v1/analytics/messages", this::analytics);
        routes.get("/v1/channels", this::channels);
        routes.post("/v1/channels", this::registerChannel);
    }

    private void conversations(Context ctx) {
        int limit = Pages.limit(ctx, 50, MAX_CONVERSATIONS);
        Optional<ConversationView> before = Cursor.decode(ctx.queryParam("cursor"))
                .map(c -> new ConversationView(c.id(), null, null, null, null, c.at(), null, 0, 0));
        List<ConversationView> rows = queries.conversations(Authentication.caller(ctx).businessId(), limit, before);
        Pages.write(ctx, rows, limit, MessagingApi::conversationJson, c -> new Cursor(c.lastMessageAt(), c.id()));
    }

    private void conversation(Context ctx) {
        long id = pathId(ctx, "id");
        ctx.json(conversationJson(queries.conversation(Authentication.caller(ctx).businessId(), id)
                .orElseThrow(() -> InvalidRequestException.notFound("no conversation has id " + id))));
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

    /** An agent has read the conversation: the inbound messages it holds now are no longer unread. */
    private void markRead(Context ctx) {
        long conversationId = pathId(ctx, "id");
        if (!queries.markRead(Authentication.caller(ctx).businessId(), conversationId)) {
            throw InvalidRequestException.notFound("no conversation has id " + conversationId);
        }
        ctx.json(Map.of("id", conversationId, "unread", 0));
    }

    /** Messages of either direction whose text matches {@code q}, newest first. */
    private void search(Context ctx) {
        String q = Optional.ofNullable(ctx.queryParam("q")).map(String::trim).orElse("");
        if (q.isEmpty() || q.length() > MAX_QUERY) {
            throw InvalidRequestException.badRequest("q must be 1-" + MAX_QUERY + " characters: words to find "
                    + "(all of them), \"a phrase\", -a word to leave out, or: /v1/messages/search?q=refund+order");
        }
        int limit = Pages.limit(ctx, 50, MAX_MESSAGES);
        Optional<MessageView> before = Cursor.decode(ctx.queryParam("cursor"))
                .map(c -> new MessageView(0, null, null, null, null, null, null, null, c.at(), c.id()));
        List<MessageView> rows = queries.search(Authentication.caller(ctx).businessId(), q, limit, before);
        Pages.write(ctx, rows, limit, MessagingApi::messageJson, m -> new Cursor(m.providerTimestamp(), m.arrivalSeq()));
    }

    /** Message counts by day, channel, direction and status over the last {@code days} days, with totals. */
    private void analytics(Context ctx) {
        String raw = Optional.ofNullable(ctx.queryParam("days")).orElse("30");
        if (!raw.matches("\\d{1,3}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > MAX_DAYS) {
            throw InvalidRequestException.badRequest("days must be a whole number from 1 to " + MAX_DAYS + ", got '"
                    + raw + "'");
        }
        int days = Integer.parseInt(raw);
        List<MessageAnalytics.Count> counts = analytics.daily(Authentication.caller(ctx).businessId(), days);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("days", days);
        json.put("since", analytics.since(days).toString());
        json.put("total", counts.stream().mapToLong(MessageAnalytics.Count::messages).sum());
        json.put("by_channel", totals(counts, MessageAnalytics.Count::channel));
        json.put("by_direction", totals(counts, MessageAnalytics.Count::direction));
        json.put("by_status", totals(counts, MessageAnalytics.Count::status));
        json.put("daily", counts.stream().map(c -> Map.of("day", c.day().toString(), "channel", c.channel(),
                "direction", c.direction(), "status", c.status(), "messages", c.messages())).toList());
        ctx.json(json);
    }

    private static Map<String, Long> totals(List<MessageAnalytics.Count> counts,
                                            java.util.function.Function<MessageAnalytics.Count, String> by) {
        return counts.stream().collect(java.util.stream.Collectors.groupingBy(by, java.util.TreeMap::new,
                java.util.stream.Collectors.summingLong(MessageAnalytics.Count::messages)));
    }

    private void messagesByExternalId(Context ctx) {
        if (ctx.queryParam("status") != null) {
            outboundByStatus(ctx);
            return;
        }
        String externalId = ctx.queryParam("external_id");
        if (externalId == null || externalId.isBlank()) {
            throw InvalidRequestException.badRequest("pass the provider's message id: /v1/messages?external_id=<wamid>");
        }
        List<MessageView> rows = queries.messagesByExternalId(Authentication.caller(ctx).businessId(), externalId);
        ctx.json(Map.of("items", rows.stream().map(MessagingApi::messageJson).toList()));
    }

    /** Sent messages in one status, oldest first: {@code unknown} ones are those waiting for a person or a status. */
    private void outboundByStatus(Context ctx) {
        OutboundStatus status;
        try {
            status = OutboundStatus.fromSql(String.valueOf(ctx.queryParam("status")));
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.badRequest("status must be one of queued, sending, sent, delivered, read, "
                    + "failed, unknown; got '" + ctx.queryParam("status") + "'");
        }
        int limit = Pages.limit(ctx, 100, MAX_MESSAGES);
        long after = Cursor.decode(ctx.queryParam("cursor")).map(Cursor::id).orElse(0L);
        List<OutboundMessage> rows = outbound.withStatus(Authentication.caller(ctx).businessId(), status, limit, after);
        Pages.write(ctx, rows, limit, OutboundMessages::json, m -> new Cursor(m.createdAt(), m.id()));
    }

    private void channels(Context ctx) {
        List<Channel> channels = Channels.list(jdbi, Authentication.caller(ctx).businessId());
        ctx.json(Map.of("items", channels.stream().map(MessagingApi::channelJson).toList()));
    }

    /** The field that names a provider account in POST /v1/channels, the channel kind it makes, and its check. */
    private record AccountField(String field, String kind, java.util.regex.Pattern valid, String expected) {
    }

    private static final List<AccountField> ACCOUNT_FIELDS = List.of(
            new AccountField("phone_number_id", Channels.WHATSAPP, java.util.regex.Pattern.compile("\\S{1,64}"),
                    "a WhatsApp phone number id"),
            new AccountField("shop_domain", Channels.SHOPIFY, java.util.regex.Pattern.compile("\\S{1,255}"),
                    "a shop domain such as my-store.myshopify.com"),
            new AccountField("sms_number", Channels.SMS, java.util.regex.Pattern.compile("\\+[1-9]\\d{6,14}"),
                    "a phone number in E.164 form, such as +15551234567"),
            new AccountField("email_from", Channels.EMAIL, java.util.regex.Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}"),
                    "an email address such as orders@example.com"));

    private void registerChannel(Context ctx) {
        long businessId = Authentication.admin(ctx).businessId();
        JsonBody body = JsonBody.of(ctx, CHANNEL_USAGE);
        List<AccountField> named = ACCOUNT_FIELDS.stream().filter(f -> body.has(f.field())).toList();
        if (named.size() != 1) {
            throw InvalidRequestException.badRequest(CHANNEL_USAGE);
        }
        AccountField field = named.getFirst();
        String account = body.text(field.field()).trim();
        if (field.kind().equals(Channels.EMAIL)) {
            account = account.toLowerCase(java.util.Locale.ROOT);
        }
        if (!field.valid().matcher(account).matches()) {
            throw InvalidRequestException.badRequest(field.field() + " must be " + field.expected() + ", got \""
                    + account + "\"");
        }
        String display = body.optionalText("display_phone_number").orElse(null);
        boolean existed = Channels.find(jdbi, field.kind(), account).isPresent();
        Channel channel = Channels.register(jdbi, businessId, field.kind(), account, display);
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
        json.put("preview", c.preview());
        json.put("unread", c.unread());
        json.put("failed", c.failed());
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
        ACCOUNT_FIELDS.stream().filter(f -> f.kind().equals(c.kind())).findFirst()
                .ifPresent(f -> json.put(f.field(), c.accountId()));
        if (c.kind().equals(Channels.WHATSAPP)) {
            json.put("display_phone_number", c.displayName());
        }
        return json;
    }
}
