package io.steadfast.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.simulator.ShopifyPayloads.OrderVersion;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shopify order webhooks become one versioned, audited row per order, whatever their order and repetition. */
class OrderSyncTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void a_newer_update_applies_and_counts_a_version() {
        assertThat(Orders.send(server.http(), "orders/create", Orders.version(1, 0, "pending"), "w1", "e1").status()).isEqualTo(200);
        Inbox.awaitDrained(server.db());
        assertThat(Orders.send(server.http(), "orders/paid", Orders.version(1, 5, "paid"), "w2", "e2").status()).isEqualTo(200);
        Inbox.awaitDrained(server.db());

        JsonNode order = server.http().get("/v1/orders/1").json();
        assertThat(order.path("financial_status").asText()).isEqualTo("paid");
        assertThat(order.path("total_price").asText()).isEqualTo("5.00");
        assertThat(order.path("shipping_fee").asText()).isEqualTo("4.99");
        assertThat(order.path("currency").asText()).isEqualTo("USD");
        assertThat(order.path("version").asInt()).isEqualTo(2);
        assertThat(order.path("line_items").get(0).path("title").asText()).isEqualTo("Steadfast mug");
        assertThat(order.path("customer").path("first_name").asText()).isEqualTo("Ana");
        assertThat(audit(1)).extracting(a -> a.path("outcome").asText()).containsExactly("processed", "processed");
    }

    @Test
    void an_update_that_overtakes_its_create_creates_the_order_and_the_late_create_is_discarded() {
        Orders.send(server.http(), "orders/updated", Orders.version(2, 7, "paid"), "w-upd", "e-upd");
        Inbox.awaitDrained(server.db());
        Orders.send(server.http(), "orders/create", Orders.version(2, 0, "pending"), "w-create", "e-create");
        Inbox.awaitDrained(server.db());

        JsonNode order = server.http().get("/v1/orders/2").json();
        assertThat(order.path("financial_status").asText()).isEqualTo("paid");
        assertThat(order.path("version").asInt()).isEqualTo(1);
        List<JsonNode> audit = audit(2);
        assertThat(audit).extracting(a -> a.path("outcome").asText()).containsExactly("processed", "discarded");
        assertThat(audit.get(1).path("reason").asText()).startsWith("stale: updated_at");
        assertThat(server.db().count("SELECT count(*) FROM shop_order")).isEqualTo(1);
    }

    @Test
    void a_redelivered_webhook_id_is_one_event_and_one_audit_row() {
        OrderVersion v = Orders.version(3, 1, "pending");
        Http.Response first = Orders.send(server.http(), "orders/create", v, "w-same", "e-same");
        Http.Response again = Orders.send(server.http(), "orders/create", v, "w-same", "e-same");
        Inbox.awaitDrained(server.db());

        assertThat(first.json().toString()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
        assertThat(again.json().toString()).isEqualTo("{\"accepted\":0,\"duplicates\":1}");
        assertThat(audit(3)).hasSize(1);
        assertThat(server.db().count("SELECT count(*) FROM inbox_event WHERE source = 'shopify'")).isEqualTo(1);
    }

    @Test
    void a_second_delivery_of_the_same_merchant_action_is_audited_as_a_duplicate() {
        OrderVersion v = Orders.version(4, 2, "paid");
        Orders.send(server.http(), "orders/paid", v, "w-a", "e-action");
        Inbox.awaitDrained(server.db());
        Orders.send(server.http(), "orders/paid", v, "w-b", "e-action");
        Inbox.awaitDrained(server.db());

        List<JsonNode> audit = audit(4);
        assertThat(audit).extracting(a -> a.path("outcome").asText()).containsExactly("processed", "discarded");
        assertThat(audit.get(1).path("reason").asText()).contains("duplicate", "e-action", "w-a");
        assertThat(audit.get(1).path("webhook_id").asText()).isEqualTo("w-b");
        assertThat(server.http().get("/v1/orders/4").json().path("version").asInt()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} concurrent conflicting updates")
    @ValueSource(ints = {10, 50, 100, 500})
    void concurrent_conflicting_updates_leave_one_row_holding_the_latest(int updates) throws Exception {
        long orderId = 1_000 + updates;
        List<Integer> minutes = new ArrayList<>();
        for (int m = 1; m <= updates; m++) {
            minutes.add(m);
        }
        Collections.shuffle(minutes, new Random(updates));
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int m : minutes) {
                answers.add(senders.submit(() -> Orders.send(server.http(), "orders/updated",
                        Orders.version(orderId, m, m == updates ? "refunded" : "paid"), "w-" + m, "e-" + m).status()));
            }
        }
        for (Future<Integer> a : answers) {
            assertThat(a.get()).isEqualTo(200);
        }
        Inbox.awaitDrained(server.db());

        assertThat(server.db().count("SELECT count(*) FROM shop_order WHERE shopify_order_id = ?", orderId)).isEqualTo(1);
        JsonNode order = server.http().get("/v1/orders/" + orderId).json();
        assertThat(order.path("updated_at").asText()).isEqualTo(Orders.CREATED.plusSeconds(60L * updates).toString());
        assertThat(order.path("financial_status").asText()).isEqualTo("refunded");
        assertThat(order.path("total_price").asText()).isEqualTo(updates + ".00");
        List<JsonNode> audit = audit(orderId);
        long processed = audit.stream().filter(a -> a.path("outcome").asText().equals("processed")).count();
        long discarded = audit.stream().filter(a -> a.path("outcome").asText().equals("discarded")).count();
        assertThat(audit).hasSize(updates);
        assertThat(processed + discarded).isEqualTo(updates);
        assertThat(order.path("version").asLong()).isEqualTo(processed);
        assertThat(server.db().count("""
                SELECT count(*) FROM shop_order WHERE shopify_order_id = ? AND (currency IS NULL OR total_price IS NULL
                    OR line_items IS NULL OR placed_at IS NULL OR last_external_updated_at IS NULL)""", orderId)).isZero();
    }

    @Test
    void a_batch_of_many_orders_leaves_each_at_its_own_newest_update() {
        int orders = 20;
        int versions = 10;
        List<Runnable> sends = new ArrayList<>();
        for (int o = 0; o < orders; o++) {
            long orderId = 2_000 + o;
            for (int m = 1; m <= versions; m++) {
                int minute = m;
                sends.add(() -> Orders.send(server.http(), "orders/updated", Orders.version(orderId, minute, "paid"),
                        "w-" + orderId + "-" + minute, "e-" + orderId + "-" + minute));
            }
            // the same merchant action as minute 3, delivered again under a new webhook id
            sends.add(() -> Orders.send(server.http(), "orders/updated", Orders.version(orderId, 3, "paid"),
                    "w-" + orderId + "-again", "e-" + orderId + "-3"));
        }
        Collections.shuffle(sends, new Random(orders));
        server.node().workers().orElseThrow().pause();
        sends.forEach(Runnable::run);
        server.node().workers().orElseThrow().resume();
        Inbox.awaitDrained(server.db());

        for (int o = 0; o < orders; o++) {
            long orderId = 2_000 + o;
            JsonNode order = server.http().get("/v1/orders/" + orderId).json();
            assertThat(order.path("updated_at").asText()).isEqualTo(Orders.CREATED.plusSeconds(60L * versions).toString());
            assertThat(order.path("total_price").asText()).isEqualTo(versions + ".00");
            List<JsonNode> audit = audit(orderId);
            assertThat(audit).hasSize(versions + 1);
            long processed = audit.stream().filter(a -> a.path("outcome").asText().equals("processed")).count();
            assertThat(order.path("version").asLong()).isEqualTo(processed).isPositive();
            assertThat(audit).filteredOn(a -> a.path("reason").asText().startsWith("duplicate")).hasSize(1);
            assertThat(audit).extracting(a -> a.path("outcome").asText()).doesNotContain("failed");
        }
        assertThat(server.db().count("SELECT count(*) FROM shop_order WHERE shopify_order_id BETWEEN 2000 AND 2019"))
                .isEqualTo(orders);
    }

    @Test
    void a_delivery_that_is_dead_lettered_is_audited_as_failed_with_the_reason() {
        Orders.send(server.http(), "orders/create", Orders.version(6, 1, "paid"), "w-6-1", "e-6-1");
        Inbox.awaitDrained(server.db());
        server.node().workers().orElseThrow().pause();
        Orders.send(server.http(), "orders/paid", Orders.version(6, 2, "paid"), "w-6-2", "e-6-2");
        // as if every worker that took it had died mid-event: the next claim is one attempt too many
        server.db().execute("UPDATE inbox_event SET attempts = " + server.node().config().maxAttempts()
                + " WHERE dedup_key = 'w-6-2'");
        server.node().workers().orElseThrow().resume();
        Inbox.awaitDrained(server.db());

        List<JsonNode> audit = audit(6);
        assertThat(audit).extracting(a -> a.path("outcome").asText()).containsExactly("processed", "failed");
        assertThat(audit.get(1).path("reason").asText()).contains("gave up after");
        assertThat(audit.get(1).path("webhook_id").asText()).isEqualTo("w-6-2");
        assertThat(server.http().get("/v1/orders/6").json().path("version").asInt()).isEqualTo(1);
        assertThat(server.http().get("/v1/inbox/dead").json().path("items")).hasSize(1);
    }

    private static List<JsonNode> audit(long orderId) {
        List<JsonNode> rows = new ArrayList<>();
        server.http().get("/v1/orders/" + orderId + "/audit?limit=10000").json().path("items").forEach(rows::add);
        return rows;
    }
}
