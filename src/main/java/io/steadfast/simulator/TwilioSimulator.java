package io.steadfast.simulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.json.Json;
import io.steadfast.outbound.SmsCallbacks;
import io.steadfast.outbound.TwilioMessagesApi;
import io.steadfast.sms.TwilioSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the Twilio Messages API: {@code POST /2010-04-01/Accounts/{sid}/Messages.json} takes an SMS and
 * answers its sid (or error 21211 for a number it was told is invalid, 503s when told to, nothing for a swallowed
 * number); {@code GET .../Messages/{sid}.json} tells what became of one. It also plays Twilio's side of the webhooks:
 * signed status callbacks to the URL each message named, and incoming messages.
 */
public final class TwilioSimulator extends SimulatedProvider<TwilioSimulator.Call> {
    public static final String ACCOUNT_SID = "AC00000000000000000000000000000001";
    public static final String AUTH_TOKEN = "twilio-test-auth-token";

    /** One call as received, and what it did: {@code taken}, {@code invalid} or {@code unavailable}. */
    public record Call(String from, String to, String body, String statusCallback, String sid, String outcome) {
        public boolean taken() {
            return outcome.equals("taken");
        }

        /** Our message, as its status callback names it. */
        public Optional<SmsCallbacks.MessageRef> messageRef() {
            return statusCallback == null ? Optional.empty()
                    : SmsCallbacks.messageRef(statusCallback.replaceFirst(".*[?&]message=", ""));
        }
    }

    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    private final TwilioSignature signature = new TwilioSignature(AUTH_TOKEN);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected void routes(RoutesConfig routes) {
        routes.post("/2010-04-01/Accounts/{account}/Messages.json", this::send);
        routes.get("/2010-04-01/Accounts/{account}/Messages/{sid}.json", this::lookUp);
    }

    private boolean authorized(Context ctx) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(ctx.header("Authorization")) || !ACCOUNT_SID.equals(ctx.pathParam("account"))) {
            ctx.status(401).contentType("application/json").result(error(20003, "Authenticate", 401));
            return false;
        }
        return true;
    }

    private void send(Context ctx) throws InterruptedException {
        if (!authorized(ctx)) {
            return;
        }
        String to = ctx.formParam("To");
        String from = ctx.formParam("From");
        String body = ctx.formParam("Body");
        String callback = ctx.formParam("StatusCallback");
        ctx.contentType("application/json");
        switch (verdict(to)) {
            case UNAVAILABLE -> {
                log(new Call(from, to, body, callback, null, "unavailable"));
                ctx.status(503).header("Retry-After", "1").result(error(20503, "Service unavailable", 503));
            }
            case INVALID -> {
                log(new Call(from, to, body, callback, null, "invalid"));
                ctx.status(400).result(error(21211, "The 'To' number " + to + " is not a valid phone number.", 400));
            }
            case TAKEN -> {
                String sid = "SM%032x".formatted(sequence.incrementAndGet());
                statuses.put(sid, "queued");
                log(new Call(from, to, body, callback, sid, "taken"));
                beforeAnswering(to);
                ctx.status(201).result(Json.write(Map.of("sid", sid, "status", "queued", "to", to, "from", from,
                        "body", body, "account_sid", ACCOUNT_SID)));
            }
        }
    }

    private void lookUp(Context ctx) {
        if (!authorized(ctx)) {
            return;
        }
        String sid = ctx.pathParam("sid");
        String status = statuses.get(sid);
        if (status == null) {
            ctx.status(404).contentType("application/json").result(error(20404, "The requested resource was not found", 404));
            return;
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("sid", sid);
        message.put("status", status);
        message.put("error_code", status.equals("undelivered") ? 30005 : null);
        message.put("error_message", status.equals("undelivered") ? "Unknown destination handset" : null);
        ctx.contentType("application/json").result(Json.write(message));
    }

    /** Sets what a lookup of {@code sid} answers, without calling back. */
    public void setStatus(String sid, String status) {
        statuses.put(sid, status);
    }

    /** Calls back the URL the message named, signed, as Twilio does when its status changes; returns the HTTP status. */
    public int reportStatus(Call call, String status) {
        statuses.put(call.sid(), status);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", ACCOUNT_SID);
        form.put("MessageSid", call.sid());
        form.put("SmsSid", call.sid());
        form.put("MessageStatus", status);
        form.put("SmsStatus", status);
        form.put("From", call.from());
        form.put("To", call.to());
        if (status.equals("undelivered") || status.equals("failed")) {
            form.put("ErrorCode", "30005");
            form.put("ErrorMessage", "Unknown destination handset");
        }
        return post(URI.create(call.statusCallback()), form);
    }

    /** A customer's SMS to one of our numbers, as Twilio delivers it to {@code webhookUrl}; returns the HTTP status. */
    public int deliverIncoming(URI webhookUrl, String sid, String from, String to, String body) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", ACCOUNT_SID);
        form.put("MessageSid", sid);
        form.put("SmsSid", sid);
        form.put("SmsStatus", "received");
        form.put("From", from);
        form.put("To", to);
        form.put("Body", body);
        form.put("NumMedia", "0");
        return post(webhookUrl, form);
    }

    /** POSTs a form signed over {@code url}; {@code url} is what Twilio signs, so it is the public URL as configured. */
    private int post(URI url, Map<String, String> form) {
        String signed = signature.sign(url.toString(), form.entrySet().stream()
                .map(e -> (Map.Entry<String, String>) new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()))
                .toList());
        String body = TwilioMessagesApi.form(form);
        try {
            return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", signed)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The calls that named our message {@code id} in their status callback. */
    public List<Call> callsFor(long businessId, long id) {
        SmsCallbacks.MessageRef ref = new SmsCallbacks.MessageRef(businessId, id);
        return calls().stream().filter(c -> c.messageRef().filter(ref::equals).isPresent()).toList();
    }

    public Optional<String> statusOf(String sid) {
        return Optional.ofNullable(statuses.get(sid));
    }

    private static String error(int code, String message, int status) {
        return Json.write(Map.of("code", code, "message", message, "more_info",
                "https://www.twilio.com/docs/errors/" + code, "status", status));
    }
}
