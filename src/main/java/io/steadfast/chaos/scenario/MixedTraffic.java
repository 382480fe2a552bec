package io.steadfast.chaos.scenario;

import io.steadfast.chaos.ScenarioRun;
import io.steadfast.simulator.OrderVersions;
import io.steadfast.simulator.Sendable;
import io.steadfast.simulator.ShopifyDelivery;
import io.steadfast.simulator.Traffic;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the live scenarios send: messages with their statuses in shuffled batches, and competing versions of a few
 * orders, all in one shuffled list.
 */
record MixedTraffic(List<Sendable> all, List<ShopifyDelivery> orders) {

    static MixedTraffic of(ScenarioRun run, Traffic traffic, List<Message> messages, String shop, int orders) {
        List<Sendable> all = new ArrayList<>(traffic.shuffledBatches(messages, traffic.statuses(messages, 0.3), 3));
        List<ShopifyDelivery> orderDeliveries = new ArrayList<>();
        for (int o = 0; o < orders; o++) {
            orderDeliveries.addAll(OrderVersions.conflicting(shop, run.orderId(o), run.scaled(10, 3), run.random()));
        }
        all.addAll(orderDeliveries);
        Collections.shuffle(all, run.random());
        return new MixedTraffic(all, orderDeliveries);
    }
}
