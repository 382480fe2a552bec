package io.steadfast.sms;

import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.inbox.Appender;
import io.steadfast.inbox.IncomingRequest;
import io.steadfast.inbox.NewEvent;
import io.steadfast.json.Json;
import io.steadfast.outbound.SmsCallbacks;
import io.steadfast.webhook.WebhookRequests;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/sms}: Twilio's requests for our SMS numbers, signed with {@code X-Twilio-Signature}. A status
 * callback ({@code MessageStatus}) reports on a message we sent; an incoming message ({@code Body}, no status) is a
 * customer writing to one of our numbers. Each is answered 200 only once it is committed to the inbox.
 */
public final class SmsWebhook {
    static final Set<String> KEPT_HEADERS = WebhookRequests.keeping(Sms.SIGNATURE_HEADER);
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    private final Optional<TwilioSignature> signature;
    private final Supplier<URI> publicUrl;
    private final Appender appender;
    private final int maxBodyBytes;
    private final Clock clock;

    /** {@code authToken} empty: SMS is not configured, and every request is refused saying so. */
    public SmsWebhook(Optional<String> authToken, Supplier<URI> publicUrl, Appender appender, int maxBodyBytes, Clock clock) {
        this.signature = authToken.map(TwilioSignature::new);
        this.publicUrl = publicUrl;
        this.appender = appender;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    public void receive(Context ctx) {
        TwilioSignature twilio = signature.orElseThrow(() -> new InvalidRequestException("sms_not_configured", 404,
                "SMS is not configured on this deployment: set STEADFAST_SMS_ACCOUNT_SID and STEADFAST_SMS_AUTH_TOKEN"));
        byte[] body = WebhookRequests.formBody(ctx, maxBodyBytes);
        List<Map.Entry<String, String>> params = parse(new String(body, StandardCharsets.UTF_8));
        String query = ctx.queryString();
        twilio.verify(publicUrl.get().toString().replaceAll("/+$", "") + SmsCallbacks.PATH
                + (query == null || query.isEmpty() ? "" : "?" + query), params, ctx.header(Sms.SIGNATURE_HEADER));
        Map<String, String> fields = new LinkedHashMap<>();
        params.forEach(p -> fields.putIfAbsent(p.getKey(), p.getValue()));
        NewEvent event = event(fields, ctx.queryParam("message"));
        appender.append(IncomingRequest.of(Sms.SOURCE, WebhookRequests.headers(ctx, KEPT_HEADERS), body,
                clock.instant()), List.of(event));
        ctx.contentType("text/xml").result(EMPTY_TWIML);
    }

    /**
     * The inbox event of one request: a status, keyed by the message and the status (a repeat is a duplicate), and
     * in the partition of our number; or an incoming message, keyed by its sid, in the partition of the number it was
     * sent to.
     */
    private static NewEvent event(Map<String, String> fields, String messageRef) {
        String sid = required(fields, "MessageSid");
        if (!SID.matcher(sid).matches()) {
            throw InvalidRequestException.badRequest("MessageSid must be Twilio's message sid (letters and digits), got '"
                    + sid + "'");
        }
        Map<String, Object> payload = new LinkedHashMap<>(fields);
        String status = fields.get("MessageStatus");
        if (status != null) {
            SmsCallbacks.messageRef(messageRef).ifPresent(ref -> payload.put("steadfast_message",
                    Map.of("business_id", ref.businessId(), "id", ref.messageId())));
            return new NewEvent(Sms.SOURCE, required(fields, "From"), sid + ":" + status, Sms.STATUS_EVENT,
                    Json.write(payload));
        }
        required(fields, "From");
        if (!fields.containsKey("Body")) {
            throw InvalidRequestException.badRequest("expected a status callback (MessageStatus) or an incoming "
                    + "message (Body): this request has neither");
        }
        return new NewEvent(Sms.SOURCE, required(fields, "To"), sid, Sms.MESSAGE_EVENT, Json.write(payload));
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw InvalidRequestException.badRequest(name + " is missing: Twilio sends it with every message request");
        }
        return value;
    }

    /** The form's parameters in order, repeats kept (each is signed). */
    static List<Map.Entry<String, String>> parse(String form) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.badRequest("the form body is not valid URL encoding: " + e.getMessage());
            }
        }
        return params;
    }
}
