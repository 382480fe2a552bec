package io.steadfast.whatsapp;

import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.inbox.AppendResult;
import io.steadfast.inbox.Appender;
import io.steadfast.inbox.IncomingRequest;
import io.steadfast.webhook.WebhookRequests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /webhooks/whatsapp}: Meta's subscription handshake. {@code POST /webhooks/whatsapp}: a signed
 * notification, answered 200 only once every event in it is committed.
 */
public final class WhatsAppWebhook {
    /** What the inbox keeps of a request's headers. */
    static final Set<String> KEPT_HEADERS = WebhookRequests.keeping(WhatsApp.SIGNATURE_HEADER);
    private final Signature signature;
    private final byte[] verifyToken;
    private final Appender appender;
    private final NotificationParser parser = new NotificationParser();
    private final int maxBodyBytes;
    private final Clock clock;

    public WhatsAppWebhook(String appSecret, String verifyToken, Appender appender, int maxBodyBytes, Clock clock) {
        this.signature = new Signature(appSecret);
        this.verifyToken = verifyToken.getBytes(StandardCharsets.UTF_8);
        this.appender = appender;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    public void verify(Context ctx) {
        String mode = ctx.queryParam("hub.mode");
        String token = ctx.queryParam("hub.verify_token");
        String challenge = ctx.queryParam("hub.challenge");
        if (!"subscribe".equals(mode) || token == null || challenge == null) {
            throw new InvalidRequestException("invalid_verification", 403, "expected hub.mode=subscribe with "
                    + "hub.verify_token and hub.challenge, as Meta sends when you subscribe the webhook");
        }
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), verifyToken)) {
            throw new InvalidRequestException("invalid_verification", 403, "hub.verify_token does not match "
                    + "STEADFAST_WHATSAPP_VERIFY_TOKEN; enter that value as the verify token in the Meta app dashboard");
        }
        ctx.contentType("text/plain").result(challenge);
    }

    public void receive(Context ctx) {
        byte[] body = WebhookRequests.jsonBody(ctx, maxBodyBytes);
        signature.verify(body, ctx.header(WhatsApp.SIGNATURE_HEADER));
        NotificationParser.Parsed parsed = parser.parse(body);

        Map<String, Object> response = new LinkedHashMap<>();
        AppendResult result = parsed.events().isEmpty() ? new AppendResult(0, 0)
                : appender.append(IncomingRequest.of(WhatsApp.SOURCE, WebhookRequests.headers(ctx, KEPT_HEADERS), body, clock.instant()),
                        parsed.events());
        response.put("accepted", result.accepted());
        response.put("duplicates", result.duplicates());
        if (parsed.ignoredChanges() > 0) {
            response.put("ignored", parsed.ignoredChanges());
        }
        ctx.json(response);
    }
}
