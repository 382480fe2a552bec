package io.steadfast.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.steadfast.json.Json;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the WhatsApp Cloud API's send ({@code POST /{phone_number_id}/messages}): it logs every call it
 * takes, which is how a test counts provider calls per message, and answers like Meta: a wamid; an error object for a
 * number it was told is invalid; 503s when told to; or, for numbers it was told to swallow, it takes the message and
 * never answers.
 */
public final class WhatsAppCloudSimulator implements AutoCloseable {
    public static final String TOKEN = "whatsapp-test-access-token";

    /** One call as the simulator received it, and what it did: {@code taken}, {@code invalid} or {@code unavailable}. */
    public record Call(String phoneNumberId, String to, String text, String callbackData, String wamid, String outcome) {
        public boolean taken() {
            return outcome.equals("taken");
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Set<String> invalidNumbers = ConcurrentHashMap.newKeySet();
    private final Set<String> swallowedNumbers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failuresToServe = new AtomicInteger();
    private volatile java.time.Duration answerDelay = java.time.Duration.ZERO;
    private volatile long unavailableUntilNanos = System.nanoTime();
    private final AtomicLong sequence = new AtomicLong();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Javalin app;

    public WhatsAppCloudSimulator() {
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.concurrency.useVirtualThreads = true;
            c.routes.post("/{phone_number_id}/messages", this::send);
        }).start("127.0.0.1", 0);
    }

    private void send(io.javalin.http.Context ctx) throws InterruptedException {
        if (!("Bearer " + TOKEN).equals(ctx.header("Authorization"))) {
            ctx.status(401).result(error(190, "Invalid OAuth access token."));
            return;
        }
        JsonNode body = Json.parse(ctx.body());
        String to = body.path("to").asText();
        String phone = ctx.pathParam("phone_number_id");
        String text = body.path("text").path("body").asText();
        String callback = body.path("biz_opaque_callback_data").asText(null);
        if (failuresToServe.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || System.nanoTime() - unavailableUntilNanos < 0) {
            calls.add(new Call(phone, to, text, callback, null, "unavailable"));
            ctx.status(503).header("Retry-After", "1").result(error(2, "Service temporarily unavailable"));
            return;
        }
        if (invalidNumbers.contains(to)) {
            calls.add(new Call(phone, to, text, callback, null, "invalid"));
            ctx.status(400).result(error(131026, "Message undeliverable: " + to + " is not a WhatsApp user"));
            return;
        }
        String wamid = "wamid.sim." + sequence.incrementAndGet();
        calls.add(new Call(phone, to, text, callback, wamid, "taken"));
        if (swallowedNumbers.contains(to)) {
            closing.await(); // took it; the answer never comes
            return;
        }
        if (!answerDelay.isZero()) {
            closing.await(answerDelay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS); // took it; answers late
        }
        ctx.contentType("application/json").result(Json.write(Map.of("messaging_product", "whatsapp",
                "contacts", List.of(Map.of("input", to, "wa_id", to)), "messages", List.of(Map.of("id", wamid)))));
    }

    private static String error(int code, String message) {
        return Json.write(Map.of("error", Map.of("message", message, "type", "OAuthException", "code", code)));
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    /** Every call received, in order, with what the simulator did with it. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Refuses messages to this number (digits, as the API gets it) as not a WhatsApp user. */
    public void invalid(String number) {
        invalidNumbers.add(number);
    }

    /** Takes messages to this number and never answers. */
    public void swallow(String number) {
        swallowedNumbers.add(number);
    }

    /** Takes each message at once but answers only after {@code delay} (zero: at once). */
    public void delayAnswers(java.time.Duration delay) {
        answerDelay = delay;
    }

    /** Answers every call 503 for {@code outage}, taking nothing. */
    public void unavailableFor(java.time.Duration outage) {
        unavailableUntilNanos = System.nanoTime() + outage.toNanos();
    }

    /** Answers the next {@code n} calls 503, taking nothing. */
    public void failNext(int n) {
        failuresToServe.set(n);
    }

    @Override
    public void close() {
        closing.countDown();
        app.stop();
    }
}
