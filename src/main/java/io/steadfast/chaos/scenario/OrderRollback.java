package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checkouts;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.fault.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Half of all orders fail on purpose after their stock is taken and their wallet debited, just before commit. Each of
 * those changes nothing: no order, no unit gone, no money moved; sent again with its key once the failure is off, it
 * is placed once.
 */
public final class OrderRollback implements Scenario {
    static final int FAIL_PERCENT = 50;

    @Override
    public String name() {
        return "order-rollback";
    }

    @Override
    public String invariant() {
        return "half of the orders fail after the stock update, before commit: each changes nothing, and placed again "
                + "with its key it takes effect once";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.FAULT_INJECTION);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        String prefix = "rollback-" + run.account(false).phoneNumberId();
        Checkouts shop = new Checkouts(run.api(), prefix);
        List<Long> products = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            products.add(shop.product("R" + i, "3.00", 1_000));
        }
        long wallet = shop.wallet("payer", "100000.00");
        int count = run.scaled(200, 40);
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long a = products.get(run.random().nextInt(products.size()));
            long b = products.get(run.random().nextInt(products.size()));
            bodies.add(a == b ? Checkouts.orderOf(i % 2 == 0 ? wallet : null, a, 2)
                    : Checkouts.orderOf(i % 2 == 0 ? wallet : null, a, 1, b, 3));
        }
        run.switchOn(Fault.CHECKOUT_FAIL_PERCENT, FAIL_PERCENT, Duration.ofMinutes(2));
        try (ExecutorService pool = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = prefix + "-" + i;
                String body = bodies.get(i);
                running.add(pool.submit(() -> {
                    if (shop.order(key, body) == 500) {
                        failed.add(key + "\n" + body);
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            run.clearFaults();
        }
        Verdict verdict = shop.check();
        if (failed.isEmpty()) {
            return verdict.with("fault did not fire", "no order failed before commit");
        }
        int placedAgain = 0;
        for (String failure : failed) {
            String[] keyAndBody = failure.split("\n", 2);
            placedAgain += shop.order(keyAndBody[0], keyAndBody[1]) == 201 ? 1 : 0;
        }
        run.note(count + " orders, " + failed.size() + " failed on purpose before commit and changed nothing; "
                + placedAgain + " of those placed when sent again with their key");
        Verdict after = shop.check();
        if (placedAgain != failed.size()) {
            after = after.with("retry refused", (failed.size() - placedAgain) + " failed orders were not placed when "
                    + "sent again with their key");
        }
        return verdict.and(after);
    }
}
