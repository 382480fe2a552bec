package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checkouts;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every database connection terminated, again and again, while shoppers check out: orders of several products, half
 * paid from wallets, some cancelled. A checkout cut off is made again with its key. Every unit and every cent is
 * accounted for, and no key made two orders.
 */
public final class CheckoutConnectionKill implements Scenario {
    static final int ROUNDS = 5;

    @Override
    public String name() {
        return "checkout-db-connection-kill";
    }

    @Override
    public String invariant() {
        return "database connections killed 5 times during checkout: stock and wallet money conserved, each key one "
                + "order at most, ledgers sum to balances";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        String prefix = "ckill-" + run.account(false).phoneNumberId();
        Checkouts shop = new Checkouts(run.api(), prefix);
        List<Long> products = products(shop);
        List<Long> wallets = wallets(shop);
        int count = run.scaled(300, 60);
        AtomicInteger done = new AtomicInteger();
        int killed = 0;
        CompletableFuture<Void> shopping = CompletableFuture.runAsync(() -> shopAll(run, shop, shop.api(), products,
                wallets, count, done));
        for (int round = 1; round <= ROUNDS && !shopping.isDone(); round++) {
            int due = count * round / (ROUNDS + 1);
            Poll.within(Duration.ofMinutes(1), () -> done.get() >= due);
            killed += cluster.killConnections();
        }
        shopping.join();
        run.note("terminated " + killed + " connections in " + ROUNDS + " rounds during " + count + " checkouts; "
                + shop.retried() + " requests made again with their key");
        Verdict verdict = shop.check();
        return killed == 0 ? verdict.with("fault did not fire", "no connection was terminated") : verdict;
    }

    /** The shelves of a checkout scenario: 8 products of 500 units. */
    static List<Long> products(Checkouts shop) {
        List<Long> products = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            products.add(shop.product("K" + i, "2.50", 500));
        }
        return products;
    }

    /** Two wallets that can pay for everything on the shelves. */
    static List<Long> wallets(Checkouts shop) {
        return List.of(shop.wallet("a", "5000.00"), shop.wallet("b", "5000.00"));
    }

    /** Orders of one to three products, every other one paid from a wallet, every tenth one cancelled. */
    static void shopAll(ScenarioRun run, Checkouts shop, io.steadfast.simulator.Api node, List<Long> products,
                        List<Long> wallets, int count, AtomicInteger done) {
        long seed = run.random().nextLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(12, Thread.ofVirtual().factory())) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                running.add(pool.submit(() -> {
                    java.util.Random random = new java.util.Random(seed + n);
                    long a = products.get(random.nextInt(products.size()));
                    long b = products.get(random.nextInt(products.size()));
                    Long wallet = n % 2 == 0 ? wallets.get(random.nextInt(wallets.size())) : null;
                    String key = shop.key("order-" + n);
                    String body = a == b ? Checkouts.orderOf(wallet, a, 1 + random.nextInt(3))
                            : Checkouts.orderOf(wallet, a, 1, b, 2);
                    if (shop.order(node, key, body) == 201 && n % 10 == 0) {
                        shop.post(node, "/v1/store/orders/" + shop.placed().get(key) + "/cancel", key + "-cancel", "{}");
                    }
                    done.incrementAndGet();
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
