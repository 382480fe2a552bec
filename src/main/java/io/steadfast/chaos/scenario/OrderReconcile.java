package io.steadfast.chaos.scenario;

import io.steadfast.chaos.JavaProcess;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.LiveClient;
import io.steadfast.simulator.OrderVersions;
import io.steadfast.simulator.ShopifyAdminSimulator;
import io.steadfast.simulator.ShopifyDelivery;
import io.steadfast.simulator.ShopifyPayloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Webhooks are lost; `steadfast reconcile shopify` (a real process) pages an Admin API the simulator stands in for,
 * and the deployment ends where Shopify is.
 */
public final class OrderReconcile implements Scenario {
    static final int ORDERS = 5;
    static final int VERSIONS = 4;

    @Override
    public String name() {
        return "order-reconcile";
    }

    @Override
    public String invariant() {
        return "the last webhooks of 5 orders lost: reconciliation against the Admin API recovers each order's newest "
                + "version, audited, nothing doubled";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL, Need.SHOPIFY_SECRET);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        String shop = run.shop(true);
        List<ShopifyDelivery> sent = new ArrayList<>();
        try (ShopifyAdminSimulator admin = new ShopifyAdminSimulator(2); LiveClient live = run.live()) {
            List<ShopifyDelivery> delivered = new ArrayList<>();
            for (int o = 0; o < ORDERS; o++) {
                long id = run.orderId(o);
                for (int m = 1; m <= VERSIONS; m++) {
                    var version = OrderVersions.at(id, m, m == VERSIONS);
                    admin.add(ShopifyPayloads.order(version));
                    if (m < VERSIONS || o % 2 == 1) { // the last webhook of orders 0, 2, 4 never arrives
                        delivered.add(ShopifyDelivery.of("w-" + id + "-" + m, "e-" + id + "-" + m, shop, "orders/updated", version));
                    }
                }
            }
            run.send(delivered, 8);
            sent.addAll(delivered);
            JavaProcess reconcile = run.cluster().runCommand("reconcile", Duration.ofSeconds(60), "reconcile", "shopify",
                    "--shop", shop, "--admin-url", admin.baseUrl().toString(), "--admin-token", ShopifyAdminSimulator.TOKEN,
                    "--since", OrderVersions.CREATED.toString());
            Verdict verdict = run.drainAndCheckOrders(sent, live);
            run.note("steadfast reconcile shopify exited " + reconcile.exitValue() + " after " + admin.requests()
                    + " Admin API requests");
            if (reconcile.exitValue() != 0) {
                verdict = verdict.with("reconciliation failed", reconcile.output());
            }
            for (int o = 0; o < ORDERS; o += 2) {
                long id = run.orderId(o);
                String holds = run.api().get("/v1/orders/" + id).path("updated_at").asText();
                String newest = OrderVersions.at(id, VERSIONS, true).updatedAt().toString();
                if (!holds.equals(newest)) {
                    verdict = verdict.with("lost webhook not recovered", "order " + id + " holds " + holds + ", Shopify has " + newest);
                }
            }
            return verdict;
        }
    }
}
