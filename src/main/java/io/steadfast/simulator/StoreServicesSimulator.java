package io.steadfast.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.steadfast.json.Json;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The services a store calls out to, simulated on loopback: a shipping rate service ({@code POST /rates}) and a push
 * receiver ({@code POST /push}). Each can be told to misbehave the ways real ones do: time out, answer 500 or 429,
 * refuse, or answer nonsense.
 */
public final class StoreServicesSimulator implements AutoCloseable {
    /** How the rate service answers. */
    public enum Rates { GOOD, SLOW, FAILING, GARBAGE }

    /** How the push receiver answers. */
    public enum Push { ACCEPTING, FAILING, RATE_LIMITED, REFUSING }

    /** Answers the rate service gives when told to answer nonsense, in turn. */
    static final List<String> GARBAGE = List.of("not json at all", "{\"amount\": \"-3.00\", \"currency\": \"%s\"}",
            "{\"amount\": \"abc\", \"currency\": \"%s\"}", "{\"amount\": [\"4.99\", \"5.99\"], \"currency\": \"%s\"}",
            "{\"amount\": \"99999999\", \"currency\": \"%s\"}", "[{\"amount\": \"4.99\"}, {\"amount\": \"5.99\"}]",
            "{\"amount\": \"4.99\", \"currency\": \"XXX\"}");

    /** Pushes of orders to this email address are refused (400, an unknown device), whatever the mode. */
    public static final String NO_DEVICE = "no-device@example.com";

    /** One push received: the Idempotency-Key it carried and the order id in it. */
    public record PushCall(String key, long orderId, int answered) {
    }

    private final Javalin app;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger rateCalls = new AtomicInteger();
    private final List<PushCall> pushes = new CopyOnWriteArrayList<>();
    private volatile Rates rates = Rates.GOOD;
    private volatile Push push = Push.ACCEPTING;
    private volatile String rate = "4.99";
    private volatile Duration slowness = Duration.ofSeconds(30);

    public StoreServicesSimulator() {
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.concurrency.useVirtualThreads = true;
            c.routes.post("/rates", this::rates);
            c.routes.post("/push", this::push);
        }).start("127.0.0.1", 0);
    }

    public URI ratesUrl() {
        return URI.create("http://127.0.0.1:" + app.port() + "/rates");
    }

    public URI pushUrl() {
        return URI.create("http://127.0.0.1:" + app.port() + "/push");
    }

    public void rates(Rates mode) {
        rates = mode;
    }

    /** The rate quoted when answering well. */
    public void rate(String amount) {
        rate = amount;
    }

    /** How long a slow rate service takes to answer. */
    public void slowness(Duration delay) {
        slowness = delay;
    }

    public void push(Push mode) {
        push = mode;
    }

    public int rateCalls() {
        return rateCalls.get();
    }

    public List<PushCall> pushes() {
        return List.copyOf(pushes);
    }

    private void rates(Context ctx) throws InterruptedException {
        int n = rateCalls.getAndIncrement();
        String currency = Json.parse(ctx.body()).path("currency").asText("USD");
        switch (rates) {
            case GOOD -> ctx.json(Map.of("amount", rate, "currency", currency));
            case SLOW -> {
                closing.await(slowness.toMillis(), TimeUnit.MILLISECONDS);
                ctx.json(Map.of("amount", rate, "currency", currency));
            }
            case FAILING -> ctx.status(500).result("rate service unavailable");
            case GARBAGE -> ctx.contentType("application/json")
                    .result(GARBAGE.get(n % GARBAGE.size()).formatted(currency));
        }
    }

    private void push(Context ctx) {
        JsonNode body = Json.parse(ctx.body());
        int status = NO_DEVICE.equals(body.path("order").path("email").asText()) ? 400 : switch (push) {
            case ACCEPTING -> 200;
            case FAILING -> 500;
            case RATE_LIMITED -> 429;
            case REFUSING -> 400;
        };
        pushes.add(new PushCall(ctx.header("Idempotency-Key"), body.path("order").path("id").asLong(), status));
        if (status == 429) {
            ctx.header("Retry-After", "1");
        }
        ctx.status(status).result(status == 200 ? "{\"ok\": true}" : status == 400 ? "{\"error\": \"unknown device\"}"
                : "try again later");
    }

    @Override
    public void close() {
        closing.countDown();
        app.stop();
    }
}
