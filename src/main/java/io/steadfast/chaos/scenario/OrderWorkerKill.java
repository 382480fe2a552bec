package io.steadfast.chaos.scenario;

import io.steadfast.chaos.JavaProcess;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.LiveClient;
import io.steadfast.simulator.OrderVersions;
import io.steadfast.simulator.ShopifyDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** A worker killed with SIGKILL while it applies order updates. */
public final class OrderWorkerKill implements Scenario {
    static final int ORDERS = 10;
    static final Duration HANDLER_DELAY = Duration.ofMillis(300);

    @Override
    public String name() {
        return "order-worker-kill";
    }

    @Override
    public String invariant() {
        return "a worker killed with kill -9 while applying conflicting updates of 10 orders: each order holds its "
                + "newest version, every delivery audited once";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL, Need.FAULT_INJECTION, Need.SHOPIFY_SECRET);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        String shop = run.shop(true);
        int perOrder = run.scaled(20, 4);
        List<ShopifyDelivery> deliveries = new ArrayList<>();
        for (int o = 0; o < ORDERS; o++) {
            deliveries.addAll(OrderVersions.conflicting(shop, run.orderId(o), perOrder, run.random()));
        }
        Collections.shuffle(deliveries, run.random());
        try (LiveClient live = run.live()) {
            JavaProcess victim = Holders.strikeHolder(run, deliveries, HANDLER_DELAY, cluster::killWorker);
            run.note("killed worker pid " + victim.pid() + " (kill -9) while it held order updates");
            return run.drainAndCheckOrders(deliveries, live);
        }
    }
}
