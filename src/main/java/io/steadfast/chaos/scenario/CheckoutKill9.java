package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checkouts;
import io.steadfast.chaos.JavaProcess;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.json.Json;
import io.steadfast.simulator.Api;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node taking checkouts is killed with SIGKILL in the middle of them, and a worker process while carts expire.
 * Checkouts it never answered are made again with their key on another node; the carts' reservations are given back
 * by the workers that remain. Every unit and every cent is accounted for, each key made one order at most, and
 * nothing stays reserved.
 */
public final class CheckoutKill9 implements Scenario {
    static final int CARTS = 20;

    @Override
    public String name() {
        return "checkout-kill-9";
    }

    @Override
    public String invariant() {
        return "the node taking checkouts and a worker expiring carts killed with kill -9: stock and wallet money "
                + "conserved, each key one order at most, every reservation given back once";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        String prefix = "kill9-" + run.account(false).phoneNumberId();
        Checkouts shop = new Checkouts(run.api(), prefix);
        List<Long> products = CheckoutConnectionKill.products(shop);
        List<Long> wallets = CheckoutConnectionKill.wallets(shop);
        LocalCluster.ApiNode node = cluster.startApiNode();
        Api nodeApi = new Api(node.baseUrl(), cluster.apiToken());
        for (int i = 0; i < CARTS; i++) {
            shop.post(nodeApi, "/v1/store/carts", shop.key("cart-" + i), Json.write(Map.of("items", List.of(
                    Map.of("product_id", products.get(i % products.size()), "quantity", 2)), "ttl_seconds", 2)));
        }
        int count = run.scaled(300, 150);
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Void> shopping = CompletableFuture.runAsync(() -> CheckoutConnectionKill.shopAll(run, shop,
                nodeApi, products, wallets, count, done));
        Poll.within(Duration.ofMinutes(1), () -> done.get() >= count / 4);
        node.process().killHard();
        int answeredBeforeKill = done.get();
        JavaProcess worker = cluster.workerHoldingLeases().orElse(cluster.workers().getFirst());
        cluster.killWorker(worker);
        shopping.join();
        run.note("killed the checkout node (pid " + node.process().pid() + ") after " + answeredBeforeKill + " of " + count
                + " checkouts had answers, and worker pid " + worker.pid() + " while " + CARTS + " carts expired; "
                + shop.retried() + " requests made again with their key");
        Verdict verdict = shop.check();
        return answeredBeforeKill == count ? verdict.with("fault did not fire", "every checkout was answered before "
                + "the node was killed") : verdict;
    }
}
