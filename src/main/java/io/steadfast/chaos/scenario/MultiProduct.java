package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checkouts;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Shoppers over 20 products at once: orders of one to four products in any order, carts that reserve for a second or
 * two (some ordered in time, some too late, the rest left to expire), and cancellations. Once every cart has expired,
 * each product's units are on hand or in an order not cancelled, and nothing is still reserved.
 */
public final class MultiProduct implements Scenario {
    static final int PRODUCTS = 20;

    @Override
    public String name() {
        return "multi-product";
    }

    @Override
    public String invariant() {
        return "orders of mixed sizes over 20 products, carts expiring meanwhile, cancellations: every unit is on hand "
                + "or in an order, none still reserved";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        String prefix = "multi-" + run.account(false).phoneNumberId();
        Checkouts shop = new Checkouts(run.api(), prefix);
        List<Long> products = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            products.add(shop.product("P" + i, (1 + run.random().nextInt(40)) + ".50", 5 + run.random().nextInt(26)));
        }
        int shoppers = run.scaled(400, 60);
        long seed = run.random().nextLong();
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        List<Long> placed = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(16, Thread.ofVirtual().factory())) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < shoppers; i++) {
                Random random = new Random(seed + i);
                String key = prefix + "-" + i;
                running.add(pool.submit(() -> {
                    String outcome = shop(run, shop, products, placed, random, key);
                    outcomes.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        run.note(shoppers + " shoppers over " + PRODUCTS + " products: " + new java.util.TreeMap<>(outcomes));
        Verdict verdict = shop.check();
        for (String outcome : outcomes.keySet()) {
            if (outcome.startsWith("unexpected")) {
                verdict = verdict.with("unexpected answer", outcome);
            }
        }
        return verdict;
    }

    /** One shopper: an order, a cart (ordered in time, too late, or never), or a cancellation. */
    private static String shop(ScenarioRun run, Checkouts shop, List<Long> products, List<Long> placed, Random random,
                               String key) {
        int roll = random.nextInt(10);
        if (roll < 1 && !placed.isEmpty()) {
            long order = placed.get(random.nextInt(placed.size()));
            int status = run.api().exchange("POST", "/v1/store/orders/" + order + "/cancel", null).statusCode();
            return status == 200 ? "cancelled" : "unexpected cancel " + status;
        }
        long[] lines = lines(products, random);
        if (roll < 5) {
            return outcome("order", shop.order(key, Checkouts.orderOf(null, lines)), placed, shop, key);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < lines.length; i += 2) {
            items.add(Map.of("product_id", lines[i], "quantity", lines[i + 1]));
        }
        Checkouts.Answer cart = shop.post("/v1/store/carts", key + "-cart", Json.write(Map.of("items", items,
                "ttl_seconds", 1 + random.nextInt(2))));
        if (cart.status() != 201) {
            return cart.status() == 409 ? "cart out of stock" : "unexpected cart " + cart.status();
        }
        if (roll < 8) {
            LockSupport.parkNanos(random.nextInt(2_500) * 1_000_000L);
            long cartId = Json.parse(cart.body()).path("id").asLong();
            int status = shop.order(key, Json.write(Map.of("cart_id", cartId)));
            return status == 409 ? "cart expired before its order" : outcome("cart order", status, placed, shop, key);
        }
        return "cart left to expire";
    }

    private static String outcome(String kind, int status, List<Long> placed, Checkouts shop, String key) {
        if (status == 201) {
            placed.add(shop.placed().get(key));
            return kind + " placed";
        }
        return status == 409 ? kind + " out of stock" : "unexpected " + kind + " " + status;
    }

    /** One to four distinct products, one to three units each, in no particular order. */
    private static long[] lines(List<Long> products, Random random) {
        List<Long> picked = new ArrayList<>(products);
        Collections.shuffle(picked, random);
        int count = 1 + random.nextInt(4);
        long[] lines = new long[count * 2];
        for (int i = 0; i < count; i++) {
            lines[2 * i] = picked.get(i);
            lines[2 * i + 1] = 1 + random.nextInt(3);
        }
        return lines;
    }
}
