package io.steadfast.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.ProviderSimulator;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.LiveClient;
import io.steadfast.simulator.OrderVersions;
import io.steadfast.simulator.ShopifyDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The ways Shopify repeats and reorders itself: a late create, a redelivered webhook, one action sent twice. */
public final class OrderRedelivery implements Scenario {
    static final int COPIES = 3;

    @Override
    public String name() {
        return "order-redelivery";
    }

    @Override
    public String invariant() {
        return "an update that overtakes its create, a webhook delivered 3 times, one merchant action under two webhook "
                + "ids: one row each, the late create and the repeat audited as discarded";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.SHOPIFY_SECRET);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        String shop = run.shop(true);
        long overtaken = run.orderId(0);
        long redelivered = run.orderId(1);
        long twice = run.orderId(2);
        ShopifyDelivery update = ShopifyDelivery.of("w-upd-" + overtaken, "e-upd-" + overtaken, shop, "orders/updated",
                OrderVersions.at(overtaken, 5, true));
        ShopifyDelivery create = ShopifyDelivery.of("w-cre-" + overtaken, "e-cre-" + overtaken, shop, "orders/create",
                OrderVersions.at(overtaken, 1, false));
        ShopifyDelivery repeated = ShopifyDelivery.of("w-rep-" + redelivered, "e-rep-" + redelivered, shop,
                "orders/paid", OrderVersions.at(redelivered, 2, true));
        ShopifyDelivery first = ShopifyDelivery.of("w-a-" + twice, "e-same-" + twice, shop, "orders/paid",
                OrderVersions.at(twice, 3, true));
        ShopifyDelivery second = ShopifyDelivery.of("w-b-" + twice, "e-same-" + twice, shop, "orders/paid",
                OrderVersions.at(twice, 3, true));
        List<ShopifyDelivery> sent = List.of(update, create, repeated, first, second);
        try (LiveClient live = run.live()) {
            ProviderSimulator simulator = run.simulator();
            simulator.deliver(0, update);
            awaitApplied(run, overtaken);
            simulator.deliver(0, create);
            for (int i = 0; i < COPIES; i++) {
                simulator.deliver(0, repeated);
            }
            simulator.deliver(0, first);
            awaitApplied(run, twice);
            simulator.deliver(0, second);
            Verdict verdict = run.drainAndCheckOrders(sent, live);
            verdict = expect(run, verdict, overtaken, "w-cre-" + overtaken, "stale");
            verdict = expect(run, verdict, twice, "w-b-" + twice, "duplicate");
            run.note("late create discarded as stale, the repeated action as a duplicate; " + COPIES
                    + " copies of one webhook audited once");
            return verdict;
        }
    }

    /** The audit row of {@code webhook} must be a discard whose reason starts with {@code reason}. */
    private static Verdict expect(ScenarioRun run, Verdict verdict, long orderId, String webhook, String reason) {
        List<String> found = new ArrayList<>();
        for (JsonNode a : run.api().all("/v1/orders/" + orderId + "/audit", java.util.Map.of())) {
            if (a.path("webhook_id").asText().equals(webhook)) {
                found.add(a.path("outcome").asText() + ": " + a.path("reason").asText());
            }
        }
        if (found.size() == 1 && found.getFirst().startsWith("discarded: " + reason)) {
            return verdict;
        }
        return verdict.with("wrong audit outcome", "webhook " + webhook + " should be discarded as " + reason
                + ", audit says " + found);
    }

    private static void awaitApplied(ScenarioRun run, long orderId) {
        Poll.within(Duration.ofSeconds(10), () -> {
            try {
                run.api().get("/v1/orders/" + orderId);
                return true;
            } catch (io.steadfast.simulator.Api.ApiException e) {
                return false;
            }
        });
    }
}
