package io.steadfast.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.Checkouts;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.json.Json;
import io.steadfast.simulator.StoreServicesSimulator;
import io.steadfast.simulator.StoreServicesSimulator.Push;
import io.steadfast.simulator.StoreServicesSimulator.Rates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Every service an order calls out to fails at once: the SMTP server is gone, the push receiver answers 500 and then
 * 429, the shipping rate service times out and then answers nonsense. Every order is still placed at once (with the
 * fallback rate, the breaker opening), and when the services come back the breaker closes and every notification is
 * sent, or dead-lettered with its reason, and none is sent twice.
 */
public final class ServicesDown implements Scenario {
    static final Duration SETTLE = Duration.ofMinutes(2);

    @Override
    public String name() {
        return "services-down";
    }

    @Override
    public String invariant() {
        return "SMTP down, push answering 500 and 429, shipping timing out and answering garbage: every order placed, "
                + "every notification sent or dead-lettered with its reason, the breaker opens and closes";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL, Need.PROVIDER_SIMULATORS);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        StoreServicesSimulator services = cluster.storeServices();
        String prefix = "down-" + run.account(false).phoneNumberId();
        Checkouts shop = new Checkouts(run.api(), prefix);
        long product = shop.product("P", "12.00", 10_000);
        long wallet = shop.wallet("payer", "100000.00");
        int count = run.scaled(80, 40);
        List<JsonNode> placed = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        cluster.stopSmtp();
        services.push(Push.FAILING);
        services.rates(Rates.SLOW);
        try (ExecutorService pool = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                running.add(pool.submit(() -> {
                    if (n == count / 2) {
                        services.push(Push.RATE_LIMITED);
                        services.rates(Rates.GARBAGE);
                    }
                    place(shop, prefix + "-" + n, n % 2 == 0 ? wallet : null, n % 10 == 3, product, placed, failures);
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            cluster.startSmtp();
            services.push(Push.ACCEPTING);
            services.rates(Rates.GOOD);
        }
        int closing = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int n = 0; closing < 4 && System.nanoTime() < deadline; n++) { // the breaker closes after its trial calls
            JsonNode o = place(shop, prefix + "-after-" + n, null, false, product, placed, failures);
            closing = o != null && o.path("shipping").path("source").asText().equals("rates") ? closing + 1 : 0;
        }
        List<Long> ids = placed.stream().map(o -> o.path("id").asLong()).toList();
        Poll.within(SETTLE, () -> ids.stream().allMatch(id -> settled(run.api().get("/v1/store/orders/" + id))));

        Verdict verdict = shop.check();
        for (String failure : failures) {
            verdict = verdict.with("order failed for a service", failure);
        }
        List<String> reasons = placed.stream().map(o -> o.path("shipping").path("reason").asText("")).toList();
        if (reasons.stream().noneMatch(r -> r.contains("circuit open"))) {
            verdict = verdict.with("breaker never opened", "no order quoted with the breaker open: " + reasons.stream()
                    .distinct().limit(3).toList());
        }
        if (closing < 4) {
            verdict = verdict.with("breaker never closed", "the rate service was back, and quotes still fell back");
        }
        Map<String, Long> outcomes = new java.util.TreeMap<>();
        for (long id : ids) {
            JsonNode o = run.api().get("/v1/store/orders/" + id);
            for (String channel : List.of("email", "push")) {
                JsonNode n = o.path("notifications").path(channel);
                outcomes.merge(channel + " " + n.path("status").asText(), 1L, Long::sum);
                if (!settled(o)) {
                    verdict = verdict.with("notification left pending", "order " + id + ": " + channel + " " + n);
                } else if (n.path("status").asText().equals("failed") && n.path("reason").asText().isBlank()) {
                    verdict = verdict.with("failed without a reason", "order " + id + ": " + channel + " " + n);
                }
            }
        }
        Set<Long> deadLettered = run.api().all("/v1/inbox/dead", Map.of()).stream()
                .filter(d -> d.path("event_type").asText().equals("store.order_push"))
                .map(d -> d.path("payload").path("order_id").asLong()).collect(Collectors.toSet());
        for (JsonNode o : placed) {
            boolean refused = o.path("email").asText().equals(StoreServicesSimulator.NO_DEVICE);
            JsonNode push = run.api().get("/v1/store/orders/" + o.path("id").asLong()).path("notifications").path("push");
            if (refused && (!push.path("status").asText().equals("failed") || !push.path("reason").asText().contains("400")
                    || !deadLettered.contains(o.path("id").asLong()))) {
                verdict = verdict.with("refusal not dead-lettered", "order " + o.path("id").asLong() + ": push " + push
                        + (deadLettered.contains(o.path("id").asLong()) ? "" : ", not among the dead letters"));
            }
        }
        Map<Long, Long> accepted = services.pushes().stream().filter(p -> p.answered() == 200)
                .collect(Collectors.groupingBy(StoreServicesSimulator.PushCall::orderId, Collectors.counting()));
        for (Map.Entry<Long, Long> pushed : accepted.entrySet()) {
            if (pushed.getValue() > 1 && ids.contains(pushed.getKey())) {
                verdict = verdict.with("notified twice", "order " + pushed.getKey() + " pushed " + pushed.getValue()
                        + " times");
            }
        }
        Map<String, Long> emails = new java.util.TreeMap<>();
        for (jakarta.mail.internet.MimeMessage mail : cluster.smtp().getReceivedMessages()) {
            emails.merge(mail.getSubject(), 1L, Long::sum);
        }
        for (Map.Entry<String, Long> mail : emails.entrySet()) {
            if (mail.getValue() > 1) {
                verdict = verdict.with("notified twice", "\"" + mail.getKey() + "\" emailed " + mail.getValue() + " times");
            }
        }
        run.note(placed.size() + " orders placed with every service down, then back; shipping: " + reasons.stream()
                .map(r -> r.contains("circuit open") ? "circuit open" : r.isEmpty() ? "rates" : "failed call")
                .collect(Collectors.groupingBy(r -> r, java.util.TreeMap::new, Collectors.counting()))
                + "; notifications: " + outcomes);
        return verdict;
    }

    /** An order of one unit; {@code noDevice}: its push will be refused, for good. */
    private static JsonNode place(Checkouts shop, String key, Long wallet, boolean noDevice, long product,
                                  List<JsonNode> placed, List<String> failures) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("items", List.of(Map.of("product_id", product, "quantity", 1)));
        body.put("email", noDevice ? StoreServicesSimulator.NO_DEVICE : "buyer@example.com");
        if (wallet != null) {
            body.put("wallet_id", wallet);
        }
        Checkouts.Answer r = shop.place(shop.api(), key, Json.write(body));
        if (r.status() != 201) {
            failures.add(key + ": " + r.status() + " " + r.body());
            return null;
        }
        JsonNode order = Json.parse(r.body());
        placed.add(order);
        return order;
    }

    private static boolean settled(JsonNode order) {
        return !order.path("notifications").path("email").path("status").asText().equals("pending")
                && !order.path("notifications").path("push").path("status").asText().equals("pending");
    }
}
