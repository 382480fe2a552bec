package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.LiveClient;
import io.steadfast.simulator.OrderVersions;
import io.steadfast.simulator.ShopifyDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** 10, 50, 100 and 500 updates of one order, with shuffled updated_at, all at once. */
public final class OrderConflicts implements Scenario {
    static final int[] SIZES = {10, 50, 100, 500};

    @Override
    public String name() {
        return "order-conflicts";
    }

    @Override
    public String invariant() {
        return "10/50/100/500 concurrent updates of one order, shuffled updated_at: one row holding the newest, version = "
                + "updates applied, one audit row per delivery, none failed, a live client sees the final state";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.SHOPIFY_SECRET);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        String shop = run.shop(true);
        List<ShopifyDelivery> all = new ArrayList<>();
        try (LiveClient live = run.live()) {
            for (int i = 0; i < SIZES.length; i++) {
                int count = run.scaled(SIZES[i], 5);
                List<ShopifyDelivery> deliveries = OrderVersions.conflicting(shop, run.orderId(i), count, run.random());
                run.send(deliveries, Math.min(count, 500));
                all.addAll(deliveries);
            }
            Verdict verdict = run.drainAndCheckOrders(all, live);
            run.note(all.size() + " deliveries to " + SIZES.length + " orders; " + verdict.stored() + " audited");
            return verdict;
        }
    }
}
