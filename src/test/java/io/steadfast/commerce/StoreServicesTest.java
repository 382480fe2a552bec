package io.steadfast.commerce;

import static io.steadfast.commerce.Shop.items;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.steadfast.config.Config;
import io.steadfast.simulator.StoreServicesSimulator;
import io.steadfast.simulator.StoreServicesSimulator.Push;
import io.steadfast.simulator.StoreServicesSimulator.Rates;
import io.steadfast.support.Http;
import io.steadfast.support.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The services an order calls out to, failing every way they do: the shipping quote falls back (and its breaker opens
 * and closes), the email and the push are retried and then dead-lettered with the reason; no order fails for them.
 */
class StoreServicesTest {
    static final StoreServicesSimulator services = new StoreServicesSimulator();
    static GreenMail mail = startMail(0);
    static final int SMTP_PORT = mail.getSmtp().getPort();
    static final AtomicInteger keys = new AtomicInteger();

    @RegisterExtension
    static final TestServer server = new TestServer(settings());

    static Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put(Config.SHIPPING_RATES_URL, services.ratesUrl().toString());
        s.put(Config.SHIPPING_TIMEOUT_MS, "500");
        s.put(Config.SHIPPING_BREAKER_OPEN_SECONDS, "1");
        s.put(Config.PUSH_URL, services.pushUrl().toString());
        s.put(Config.SMTP_HOST, "127.0.0.1");
        s.put(Config.SMTP_PORT, Integer.toString(SMTP_PORT));
        s.put(Config.EMAIL_FROM, "orders@shop.example");
        s.put(Config.PROVIDER_TIMEOUT_MS, "2000");
        s.put(Config.MAX_ATTEMPTS, "5");
        s.put(Config.RETRY_BACKOFF_MS, "200");
        return s;
    }

    /** An SMTP server on {@code port} (0: a free one). */
    static GreenMail startMail(int port) {
        GreenMail started = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        started.start();
        return started;
    }

    @AfterAll
    static void stop() {
        mail.stop();
        services.close();
    }

    @BeforeEach
    void servicesWork() throws Exception {
        services.rates(Rates.GOOD);
        services.push(Push.ACCEPTING);
        mail.purgeEmailFromAllMailboxes();
    }

    Shop shop() {
        return new Shop(server.http());
    }

    JsonNode order(long product, String extra) {
        Http.Response r = shop().order("k-" + keys.incrementAndGet(), "{\"items\": " + items(product, 1) + extra + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /**
     * A product to order, once the rate service's breaker is closed (an earlier test may have left it open): four
     * quotes from the rates in a row, one more than the breaker's trial calls.
     */
    long productWithRatesClosed() {
        long mug = shop().product("MUG", "8.00", 1_000);
        AtomicInteger inARow = new AtomicInteger();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            boolean rates = order(mug, "").path("shipping").path("source").asText().equals("rates");
            return (rates ? inARow.incrementAndGet() : inARow.getAndSet(0) * 0) >= 4;
        });
        return mug;
    }

    JsonNode awaitNotification(long orderId, String channel, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> shop().orderOf(orderId).path("notifications").path(channel)
                .path("status").asText().equals(status));
        return shop().orderOf(orderId).path("notifications").path(channel);
    }

    @Test
    void a_good_quote_is_used_and_every_bad_one_falls_back_with_its_reason() {
        long mug = productWithRatesClosed();
        JsonNode good = order(mug, "");
        assertThat(good.path("shipping").path("source").asText()).as(good.toString()).isEqualTo("rates");
        assertThat(good.path("shipping").path("amount").asText()).isEqualTo("4.99");
        assertThat(good.path("total").asText()).isEqualTo("12.99");

        services.rates(Rates.GARBAGE);
        int calls = services.rateCalls();
        for (int i = 0; i < 7; i++) { // each nonsense answer once, with good ones between to keep the breaker closed
            services.rates(Rates.GARBAGE);
            JsonNode fallback = order(mug, "");
            assertThat(fallback.path("shipping").path("source").asText()).isEqualTo("fallback");
            assertThat(fallback.path("shipping").path("amount").asText()).isEqualTo("5.00");
            assertThat(fallback.path("shipping").path("reason").asText()).startsWith("the rate service");
            services.rates(Rates.GOOD);
            order(mug, "");
            order(mug, "");
        }
        assertThat(services.rateCalls() - calls).as("every call reached the service").isEqualTo(21);

        services.rates(Rates.SLOW);
        long start = System.nanoTime();
        JsonNode slow = order(mug, "");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(slow.path("shipping").path("reason").asText()).contains("within 500 ms");
    }

    @Test
    void the_breaker_opens_when_the_rate_service_keeps_failing_and_closes_when_it_is_back() {
        long mug = productWithRatesClosed();
        services.rates(Rates.FAILING);
        int failed = 0;
        String reason;
        do { // the breaker counts the last 20 calls, good ones too: it opens once half of them failed
            reason = order(mug, "").path("shipping").path("reason").asText();
            failed++;
        } while (reason.contains("answered 500") && failed < 20);
        assertThat(reason).contains("circuit open");
        int calls = services.rateCalls();
        assertThat(order(mug, "").path("shipping").path("reason").asText()).contains("circuit open");
        assertThat(services.rateCalls()).as("an open breaker does not call").isEqualTo(calls);

        services.rates(Rates.GOOD);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .until(() -> order(mug, "").path("shipping").path("source").asText().equals("rates"));
        for (int i = 0; i < 5; i++) {
            assertThat(order(mug, "").path("shipping").path("source").asText()).as("closed again").isEqualTo("rates");
        }
    }

    @Test
    void the_confirmation_email_and_the_push_are_sent_once_after_the_order_commits() throws Exception {
        long mug = shop().product("MUG", "8.00", 10);
        int pushes = services.pushes().size();
        long id = order(mug, ", \"email\": \"ann@example.com\"").path("id").asLong();

        awaitNotification(id, "email", "sent");
        awaitNotification(id, "push", "sent");
        assertThat(mail.getReceivedMessages()).hasSize(1);
        assertThat(mail.getReceivedMessages()[0].getSubject()).isEqualTo("Order " + id + " confirmed");
        assertThat(services.pushes().subList(pushes, services.pushes().size()))
                .extracting(StoreServicesSimulator.PushCall::orderId).containsExactly(id);
    }

    @Test
    void a_failing_push_is_retried_until_it_goes_through_and_a_refused_one_fails_at_once_with_the_reason() {
        long mug = shop().product("MUG", "8.00", 10);
        services.push(Push.RATE_LIMITED);
        long retried = order(mug, "").path("id").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> services.pushes().stream()
                .filter(p -> p.orderId() == retried).count() >= 2);
        services.push(Push.ACCEPTING);
        awaitNotification(retried, "push", "sent");

        services.push(Push.REFUSING);
        long refused = order(mug, "").path("id").asLong();
        JsonNode failed = awaitNotification(refused, "push", "failed");
        assertThat(failed.path("reason").asText()).contains("answered 400");
        assertThat(services.pushes().stream().filter(p -> p.orderId() == refused)).hasSize(1);
    }

    @Test
    void a_push_sent_is_not_sent_again_when_another_of_its_batch_is_refused() {
        long mug = shop().product("MUG", "8.00", 10);
        List<Long> ids = new java.util.ArrayList<>();
        server.node().workers().orElseThrow().pauseAndSettle(Duration.ofSeconds(10));
        try { // one batch: the refused push in the middle fails it, and the engine applies its events one by one
            ids.add(order(mug, "").path("id").asLong());
            ids.add(order(mug, ", \"email\": \"" + StoreServicesSimulator.NO_DEVICE + "\"").path("id").asLong());
            ids.add(order(mug, "").path("id").asLong());
        } finally {
            server.node().workers().orElseThrow().resume();
        }
        assertThat(awaitNotification(ids.get(1), "push", "failed").path("reason").asText()).contains("answered 400");
        for (long id : List.of(ids.get(0), ids.get(2))) {
            awaitNotification(id, "push", "sent");
            assertThat(services.pushes().stream().filter(p -> p.orderId() == id)).as("order " + id).hasSize(1);
        }
    }

    @Test
    void notifications_that_never_go_through_are_dead_lettered_with_the_reason_and_the_order_stands() {
        long mug = shop().product("MUG", "8.00", 10);
        services.push(Push.FAILING);
        mail.stop();
        try {
            JsonNode placed = order(mug, ", \"email\": \"bob@example.com\"");
            long id = placed.path("id").asLong();
            assertThat(placed.path("status").asText()).isEqualTo("placed");

            assertThat(awaitNotification(id, "push", "failed").path("reason").asText()).contains("answered 500");
            assertThat(awaitNotification(id, "email", "failed").path("reason").asText()).contains("SMTP");
            assertThat(services.pushes().stream().filter(p -> p.orderId() == id)).as("one call per attempt").hasSize(5);
            JsonNode dead = server.http().api("GET", "/v1/inbox/dead", null, Shop.OPERATOR).json().path("items");
            assertThat(dead.findValuesAsText("event_type")).contains("store.order_email", "store.order_push");
            assertThat(shop().orderOf(id).path("status").asText()).isEqualTo("placed");
            assertThat(shop().productOf(mug).path("on_hand").asLong()).isEqualTo(9);
        } finally {
            mail = startMail(SMTP_PORT);
        }
    }
}
