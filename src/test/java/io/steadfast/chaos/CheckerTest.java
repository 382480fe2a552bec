package io.steadfast.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.Observation.StoredEvent;
import io.steadfast.chaos.Observation.StoredMessage;
import io.steadfast.chaos.scenario.CheckerSelfTest;
import io.steadfast.simulator.ShopifyDelivery;
import io.steadfast.simulator.ShopifyPayloads;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker fails when a promise is broken, and only then. */
class CheckerTest {
    static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void the_self_test_catches_every_planted_violation_and_raises_no_false_alarm() {
        Verdict verdict = new CheckerSelfTest().run(null);

        assertThat(verdict.violations()).isEmpty();
    }

    @Test
    void an_uncertain_event_may_be_absent_or_stored_once_but_never_twice() {
        History history = new History();
        history.invoke(0, "d1", List.of("absent")).info(503, "database unavailable");
        history.invoke(0, "d2", List.of("once")).info(0, "timeout");
        history.invoke(0, "d3", List.of("twice")).info(0, "connection reset");

        Verdict verdict = Checker.check(history, Expectations.none(), new Observation(List.of(
                new StoredEvent(1, "p", "once", "done", null),
                new StoredEvent(2, "p", "twice", "done", null),
                new StoredEvent(3, "p", "twice", "done", null)),
                Map.of("once", List.of(message("once")), "twice", List.of(message("twice"))), List.of()));

        assertThat(verdict.violations()).containsOnlyKeys(Checker.DUPLICATE_EVENT);
        assertThat(verdict.acknowledged()).isZero();
        assertThat(verdict.stored()).isEqualTo(2);
        assertThat(verdict.duplicates()).isEqualTo(1);
    }

    @Test
    void an_event_acknowledged_on_a_retry_counts_as_acknowledged_and_must_be_stored() {
        History history = new History();
        history.invoke(0, "d1", List.of("m1")).info(500, "injected");
        history.invoke(0, "d1", List.of("m1")).ok(200);

        Verdict verdict = Checker.check(history, Expectations.none(), new Observation(List.of(), Map.of(), List.of()));

        assertThat(verdict.acknowledged()).isEqualTo(1);
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.violations()).containsOnlyKeys(Checker.LOST);
        assertThat(verdict.examples()).singleElement().asString().contains("m1");
    }

    @Test
    void the_order_checker_names_every_broken_promise_about_an_order() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var v1 = new ShopifyPayloads.OrderVersion(1, T, T.plusSeconds(60), "paid", null, null, "1.00", 1);
        var v2 = new ShopifyPayloads.OrderVersion(1, T, T.plusSeconds(120), "refunded", null, null, "2.00", 1);
        var v3 = new ShopifyPayloads.OrderVersion(1, T, T.plusSeconds(180), "refunded", null, null, "3.00", 1);
        List<ShopifyDelivery> sent = List.of(ShopifyDelivery.of("w1", "e1", "s", "orders/updated", v1),
                ShopifyDelivery.of("w2", "e2", "s", "orders/updated", v2),
                ShopifyDelivery.of("w3", "e3", "s", "orders/updated", v3));
        History history = new History();
        sent.forEach(d -> history.invoke(0, d.id(), d.keys()).ok(200));
        List<com.fasterxml.jackson.databind.JsonNode> audit = List.of(
                mapper.readTree("{\"webhook_id\":\"w1\",\"outcome\":\"processed\",\"updated_at\":\"" + v1.updatedAt() + "\"}"),
                mapper.readTree("{\"webhook_id\":\"w1\",\"outcome\":\"discarded\",\"updated_at\":\"" + v1.updatedAt() + "\"}"),
                mapper.readTree("{\"webhook_id\":\"w2\",\"outcome\":\"processed\",\"updated_at\":\"" + v2.updatedAt() + "\"}"),
                mapper.readTree("{\"webhook_id\":\"w9\",\"outcome\":\"failed\",\"reason\":\"boom\"}"));
        var order = mapper.readTree("{\"updated_at\":\"" + v1.updatedAt() + "\",\"version\":5,\"currency\":null,"
                + "\"total_price\":\"1.00\",\"line_items\":[],\"placed_at\":\"" + T + "\",\"shop_domain\":\"s\"}");

        Verdict verdict = OrderChecker.check(history, sent, List.of(new OrderChecker.OrderObservation(1,
                java.util.Optional.of(order), audit, java.util.Optional.empty())));

        assertThat(verdict.violations()).containsOnlyKeys(OrderChecker.LOST, OrderChecker.DUPLICATE,
                OrderChecker.FAILED, OrderChecker.NOT_LATEST, OrderChecker.VERSION, OrderChecker.MISSING_FIELD,
                OrderChecker.NOT_LIVE);
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.duplicates()).isEqualTo(1);
    }

    private static StoredMessage message(String wamid) {
        return new StoredMessage(wamid, 1, "received", T);
    }
}
