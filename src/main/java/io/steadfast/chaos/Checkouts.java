package io.steadfast.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import io.steadfast.simulator.Api;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A store scenario's shopping and its proof. It makes the products and wallets of one run (their stock and money
 * known), places orders with keys (a request cut off, refused with 503 or 429, is made again with the same key, as a
 * client should), and then checks from the API alone: every unit is on hand or in an order not cancelled, nothing is
 * still reserved once carts expired, every wallet holds what it was given less what its orders not cancelled paid and
 * its ledger sums to that, and each key made at most one order.
 */
public final class Checkouts {
    static final Duration PATIENCE = Duration.ofMinutes(2);

    private final Api api;
    private final String prefix;
    private final Map<Long, Long> stock = new ConcurrentHashMap<>();
    private final Map<Long, BigDecimal> funds = new ConcurrentHashMap<>();
    private final Map<String, Long> orderOfKey = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();

    public Checkouts(Api api, String prefix) {
        this.api = api;
        this.prefix = prefix;
    }

    /** An active product of this run with {@code units} on hand. */
    public long product(String sku, String price, long units) {
        long id = api.post("/v1/store/products", Map.of("sku", prefix + "-" + sku, "name", sku, "price", price,
                "currency", "USD", "stock", units)).path("id").asLong();
        api.post("/v1/store/products/" + id + "/activate", Map.of());
        stock.put(id, units);
        return id;
    }

    /** A USD wallet of this run holding {@code amount}. */
    public long wallet(String customer, String amount) {
        long id = api.post("/v1/wallets", Map.of("customer_ref", prefix + "-" + customer, "currency", "USD"))
                .path("id").asLong();
        Answer funded = post("/v1/wallets/" + id + "/credit", prefix + "-fund-" + customer,
                Json.write(Map.of("amount", amount)));
        if (funded.status() != 200) {
            throw new IllegalStateException("funding wallet " + id + ": " + funded.body());
        }
        funds.put(id, new BigDecimal(amount));
        return id;
    }

    /** What a request came to: its status (0 when no answer came) and body. */
    public record Answer(int status, String body) {
    }

    /** A POST with its key, made again with the same key while the answer is a 503, a 429 or no answer at all. */
    public Answer post(String path, String key, String json) {
        return post(api, path, key, json);
    }

    /** The same, against another node of the deployment (which may die: the request then goes to this one). */
    public Answer post(Api node, String path, String key, String json) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Api target = node;
        while (true) {
            HttpResponse<String> r;
            try {
                r = target.exchange("POST", path, json, "Idempotency-Key", key);
            } catch (Api.ApiException e) {
                r = null;
                target = api;
            }
            int status = r == null ? 0 : r.statusCode();
            if ((status != 0 && status != 503 && status != 429) || System.nanoTime() > deadline) {
                return new Answer(status, r == null ? "no answer" : r.body());
            }
            retried.incrementAndGet();
            long millis = r == null ? 250 : r.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,3}"))
                    .map(v -> Math.min(2_000, Long.parseLong(v) * 1_000)).orElse(500L);
            LockSupport.parkNanos(millis * 1_000_000L);
        }
    }

    /** Places an order with {@code key}; the answer's status (201 placed, 409 refused, ...). */
    public int order(String key, String body) {
        return place(api, key, body).status();
    }

    public int order(Api node, String key, String body) {
        return place(node, key, body).status();
    }

    /** Places an order with {@code key} through {@code node}; the answer. */
    public Answer place(Api node, String key, String body) {
        attempts.incrementAndGet();
        Answer r = post(node, "/v1/store/orders", key, body);
        if (r.status() == 201) {
            long id = Json.parse(r.body()).path("id").asLong();
            Long earlier = orderOfKey.putIfAbsent(key, id);
            if (earlier != null && earlier != id) {
                orderOfKey.put(key + " (again)", id);
            }
        }
        return r;
    }

    public Api api() {
        return api;
    }

    /** A key of this run: keys are the business's, so each run's must differ from every other's. */
    public String key(String name) {
        return prefix + "-" + name;
    }

    /** The body of an order of {@code lines} (product id, quantity, ...), paid from {@code wallet} when not null. */
    public static String orderOf(Long wallet, long... lines) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < lines.length; i += 2) {
            items.add(Map.of("product_id", lines[i], "quantity", lines[i + 1]));
        }
        return wallet == null ? Json.write(Map.of("items", items)) : Json.write(Map.of("items", items, "wallet_id", wallet));
    }

    public long retried() {
        return retried.get();
    }

    public Set<Long> products() {
        return Set.copyOf(stock.keySet());
    }

    public Map<String, Long> placed() {
        return Map.copyOf(orderOfKey);
    }

    /**
     * Waits for every reservation of this run's products to end (carts expire by themselves), then checks stock,
     * money and keys against the orders the deployment holds.
     */
    public Verdict check() {
        Poll.within(PATIENCE, () -> stock.keySet().stream().allMatch(id -> api.get("/v1/store/products/" + id)
                .path("reserved").asLong() == 0));
        List<JsonNode> orders = api.all("/v1/store/orders", Map.of()).stream()
                .filter(o -> o.path("items").findValues("product_id").stream().anyMatch(p -> stock.containsKey(p.asLong())))
                .toList();
        Set<Long> acknowledged = Set.copyOf(orderOfKey.values());
        Verdict verdict = new Verdict(attempts.get(), acknowledged.size(), orders.size(), orderOfKey.size()
                - acknowledged.size(), 0, 0, Map.of(), List.of());
        if (orderOfKey.keySet().stream().anyMatch(k -> k.endsWith(" (again)"))) {
            verdict = verdict.with("order twice", "a key made two orders: " + orderOfKey.entrySet().stream()
                    .filter(e -> e.getKey().endsWith(" (again)")).map(Map.Entry::getKey).findFirst().orElseThrow());
        }
        for (JsonNode o : orders) {
            if (!acknowledged.contains(o.path("id").asLong())) {
                verdict = verdict.with("order nobody was told of", "order " + o.path("id").asLong() + " exists, but no "
                        + "request (nor its retry with the same key) was answered with it");
            }
        }
        for (Map.Entry<Long, Long> p : stock.entrySet()) {
            JsonNode now = api.get("/v1/store/products/" + p.getKey());
            long sold = orders.stream().filter(o -> !o.path("status").asText().equals("cancelled"))
                    .flatMap(o -> toList(o.path("items")).stream())
                    .filter(i -> i.path("product_id").asLong() == p.getKey())
                    .mapToLong(i -> i.path("quantity").asLong()).sum();
            long onHand = now.path("on_hand").asLong();
            if (onHand + sold != p.getValue()) {
                verdict = verdict.with("stock not conserved", "product " + p.getKey() + ": " + onHand + " on hand + "
                        + sold + " in orders, of " + p.getValue());
            }
            if (now.path("reserved").asLong() != 0 || now.path("available").asLong() < 0) {
                verdict = verdict.with("reservation left", "product " + p.getKey() + ": " + now.path("reserved").asLong()
                        + " still reserved after every cart expired, " + now.path("available").asLong() + " available");
            }
        }
        for (Map.Entry<Long, BigDecimal> w : funds.entrySet()) {
            JsonNode now = api.get("/v1/wallets/" + w.getKey());
            BigDecimal paid = orders.stream().filter(o -> o.path("wallet_id").asLong() == w.getKey()
                            && !o.path("status").asText().equals("cancelled"))
                    .map(o -> new BigDecimal(o.path("total").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal balance = new BigDecimal(now.path("balance").asText());
            BigDecimal ledger = api.all("/v1/wallets/" + w.getKey() + "/ledger", Map.of()).stream()
                    .map(e -> new BigDecimal(e.path("amount").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (balance.add(paid).compareTo(w.getValue()) != 0) {
                verdict = verdict.with("money not conserved", "wallet " + w.getKey() + ": balance " + balance
                        .toPlainString() + " + " + paid.toPlainString() + " paid by its orders, of " + w.getValue());
            }
            if (ledger.compareTo(balance) != 0) {
                verdict = verdict.with("ledger", "wallet " + w.getKey() + ": balance " + balance.toPlainString()
                        + ", ledger sum " + ledger.toPlainString());
            }
        }
        return verdict;
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
