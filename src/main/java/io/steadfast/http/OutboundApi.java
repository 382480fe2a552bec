package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.outbound.NewMessage;
import io.steadfast.outbound.OutboundMessages;
import io.steadfast.outbound.Outbox;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/** Sending a message ({@code POST /v1/messages}, with an Idempotency-Key) and reading where it stands. */
final class OutboundApi {
    static final int MAX_IDEMPOTENCY_KEY = 255;
    /** 1-255 printable ASCII characters, not starting with a space. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E][\\x20-\\x7E]{0," + (MAX_IDEMPOTENCY_KEY - 1) + "}");
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
        String key = ctx.header("Idempotency-Key");
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidRequestException("idempotency_key_required", 400, "send an Idempotency-Key header (1-"
                    + MAX_IDEMPOTENCY_KEY + " printable ASCII characters, a new one per message, the same one when you "
                    + "retry): it is what keeps a retried request from sending the message twice");
        }
        NewMessage message = NewMessage.parse(JsonBody.of(ctx, USAGE).node());
        Outbox.Answer answer = outbox.accept(businessId, key, sha256(ctx.bodyAsBytes()), message);
        ctx.status(answer.status()).contentType("application/json").result(answer.body());
    }

    private void one(Context ctx) {
        long id = MessagingApi.pathId(ctx, "id");
        ctx.json(OutboundMessages.json(messages.find(Authentication.caller(ctx).businessId(), id)
                .orElseThrow(() -> InvalidRequestException.notFound("no message has id " + id))));
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
