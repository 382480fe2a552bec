package io.steadfast.simulator;

import io.steadfast.simulator.ShopifyPayloads.OrderVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Versions of an order a minute apart, and the webhooks that carry them. */
public final class OrderVersions {
    public static final Instant CREATED = Instant.parse("2026-01-15T10:00:00Z");

    private OrderVersions() {
    }

    public static OrderVersion at(long orderId, int minute, boolean last) {
        return new OrderVersion(orderId, CREATED, CREATED.plusSeconds(60L * minute), last ? "refunded" : "paid",
                minute % 2 == 0 ? "partial" : null, null, minute + ".00", 1 + minute % 4);
    }

    /** One orders/updated webhook per version 1..count, in shuffled order. */
    public static List<ShopifyDelivery> conflicting(String shop, long orderId, int count, Random random) {
        List<ShopifyDelivery> deliveries = new ArrayList<>();
        for (int m = 1; m <= count; m++) {
            deliveries.add(ShopifyDelivery.of("w-" + orderId + "-" + m, "e-" + orderId + "-" + m, shop, "orders/updated",
                    at(orderId, m, m == count)));
        }
        Collections.shuffle(deliveries, random);
        return deliveries;
    }
}
