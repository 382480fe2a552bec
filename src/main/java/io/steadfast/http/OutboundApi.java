package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.idempotency.Idempotency;
import io.steadfast.idempotency.IdempotencyKey;
import io.steadfast.outbound.NewMessage;
import io.steadfast.outbound.OutboundMessages;
import io.steadfast.outbound.Outbox;

/** Sending a message ({@code POST /v1/messages}, with an Idempotency-Key) and reading where it stands. */
final class OutboundApi {
    private static final String USAGE = "send {\"channel\": \"whatsapp\", \"to\": \"+15551234567\", \"text\": \"...\"}, "
            + "or {\"conversation_id\": <id>, \"text\": \"...\"} to reply on a conversation";

    private final Outbox outbox;
    private final OutboundMessages messages;

    OutboundApi(Outbox outbox, OutboundMessages messages) {
        this.outbox = outbox;
        this.messages = messages;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/messages", this::send);
        routes.get("/v1/messages/{id}", this::one);
    }

    private void send(Context ctx) {
        long businessId = Authentication.caller(ctx).businessId();
        IdempotencyKey key = IdempotencyKey.of(ctx.header("Idempotency-Key"), "POST", "/v1/messages", ctx.bodyAsBytes());
        NewMessage message = NewMessage.parse(JsonBody.of(ctx, USAGE).node());
        Idempotency.Answer answer = outbox.accept(businessId, key, message);
        ctx.status(answer.status()).contentType("application/json").result(answer.body());
    }

    private void one(Context ctx) {
        long id = MessagingApi.pathId(ctx, "id");
        ctx.json(OutboundMessages.json(messages.find(Authentication.caller(ctx).businessId(), id)
                .orElseThrow(() -> InvalidRequestException.notFound("no message has id " + id))));
    }
}
