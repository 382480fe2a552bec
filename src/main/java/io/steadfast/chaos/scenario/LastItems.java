package io.steadfast.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.Checkouts;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two hundred buyers at once for the last five units of a product, in several rounds, while an observer reads the
 * product as fast as it can: exactly five orders, every other buyer told {@code 409 out_of_stock}, and no reading ever
 * shows stock below zero.
 */
public final class LastItems implements Scenario {
    static final int BUYERS = 200;
    static final int UNITS = 5;

    @Override
    public String name() {
        return "last-items";
    }

    @Override
    public String invariant() {
        return "200 buyers race for the last 5 units: exactly 5 orders, 195 get 409 out_of_stock, stock never below "
                + "zero at any observation";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        int rounds = run.scaled(3, 1);
        String prefix = "last-" + run.account(false).phoneNumberId();
        Checkouts shop = new Checkouts(run.api(), prefix);
        List<String> findings = new ArrayList<>();
        long observations = 0;
        for (int round = 0; round < rounds; round++) {
            long product = shop.product("LAST-" + round, "15.00", UNITS);
            AtomicBoolean racing = new AtomicBoolean(true);
            AtomicLong lowest = new AtomicLong(UNITS);
            AtomicLong seen = new AtomicLong();
            CompletableFuture<Void> observer = CompletableFuture.runAsync(() -> {
                while (racing.get()) {
                    JsonNode p = run.api().get("/v1/store/products/" + product);
                    lowest.accumulateAndGet(Math.min(p.path("on_hand").asLong(), p.path("available").asLong()), Math::min);
                    seen.incrementAndGet();
                }
            });
            List<Integer> statuses = new ArrayList<>();
            try (ExecutorService buyers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> orders = new ArrayList<>();
                for (int i = 0; i < BUYERS; i++) {
                    String key = prefix + "-" + round + "-" + i;
                    orders.add(buyers.submit(() -> shop.order(key, Checkouts.orderOf(null, product, 1))));
                }
                for (Future<Integer> f : orders) {
                    statuses.add(f.get());
                }
            } finally {
                racing.set(false);
                observer.join();
            }
            observations += seen.get();
            long placed = statuses.stream().filter(s -> s == 201).count();
            long refused = statuses.stream().filter(s -> s == 409).count();
            if (placed != UNITS || refused != BUYERS - UNITS) {
                findings.add("round " + round + ": " + placed + " orders and " + refused + " refusals for " + UNITS
                        + " units (other answers: " + statuses.stream().filter(s -> s != 201 && s != 409).toList() + ")");
            }
            if (lowest.get() < 0) {
                findings.add("round " + round + ": an observation showed " + lowest.get() + " units");
            }
        }
        run.note(rounds + " rounds of " + BUYERS + " buyers for " + UNITS + " units; " + observations
                + " observations of the product while they raced");
        Verdict verdict = shop.check();
        for (String finding : findings) {
            verdict = verdict.with("oversold", finding);
        }
        return verdict;
    }
}
