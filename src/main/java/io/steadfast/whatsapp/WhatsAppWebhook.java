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
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code GET /webhooks/whatsapp}: Meta's subscription handshake. {@code POST /webhooks/whatsapp}: a signed
 * notification, answered 200 only once every event in it is committed (served by {@code http.WebhookIntake}).
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

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Checks a notification and queues its events for the next commit. Throws {@link InvalidRequestException} for a
     * bad signature or body; the future completes with the answer once the events are committed.
     *
     * @param header looks up a header of the request by name, ignoring case
     */
    public CompletableFuture<Map<String, Object>> receive(byte[] body, Function<String, String> header) {
        signature.verify(body, header.apply(WhatsApp.SIGNATURE_HEADER));
        NotificationParser.Parsed parsed = parser.parse(body);
        CompletableFuture<AppendResult> stored = parsed.events().isEmpty()
                ? CompletableFuture.completedFuture(new AppendResult(0, 0))
                : appender.appendAsync(IncomingRequest.of(WhatsApp.SOURCE, WebhookRequests.headers(header, KEPT_HEADERS), body,
                        clock.instant()), parsed.events());
        return stored.thenApply(result -> {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("accepted", result.accepted());
            response.put("duplicates", result.duplicates());
            if (parsed.ignoredChanges() > 0) {
                response.put("ignored", parsed.ignoredChanges());
            }
            return response;
        });
    }
}
