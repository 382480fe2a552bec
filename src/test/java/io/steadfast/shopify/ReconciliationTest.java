package io.steadfast.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.config.Config;
import io.steadfast.inbox.Appender;
import io.steadfast.node.Node;
import io.steadfast.simulator.ShopifyAdminSimulator;
import io.steadfast.simulator.ShopifyPayloads;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reconciliation finds what webhooks lost, through the same inbox path, and adds nothing twice. */
class ReconciliationTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void a_lost_webhook_is_recovered_and_a_second_run_adds_nothing() {
        try (ShopifyAdminSimulator admin = new ShopifyAdminSimulator(2);
             Appender appender = new Appender(server.db().database().jdbi(), Duration.ofSeconds(10),
                     new SimpleMeterRegistry(), () -> { })) {
            for (int minute = 1; minute <= 3; minute++) {
                admin.add(ShopifyPayloads.order(Orders.version(800 + minute, minute, "paid")));
            }
            admin.add(ShopifyPayloads.order(Orders.version(801, 9, "refunded")));
            // webhooks delivered order 801's first version and order 802; the refund of 801 and order 803 were lost
            Orders.send(server.http(), "orders/create", Orders.version(801, 1, "paid"), "w-801", "e-801");
            Orders.send(server.http(), "orders/create", Orders.version(802, 2, "paid"), "w-802", "e-802");
            Inbox.awaitDrained(server.db());
            admin.failNext(2); // the Admin API hiccups: retried with back-off

            Reconciler reconciler = new Reconciler(server.db().database().jdbi(), appender,
                    new AdminApiClient(admin.baseUrl(), ShopifyAdminSimulator.TOKEN), Clock.systemUTC());
            Reconciler.Result first = reconciler.run(Orders.SHOP, Optional.of(Orders.CREATED));
            Inbox.awaitDrained(server.db());

            assertThat(first.fetched()).isEqualTo(4);
            assertThat(first.pages()).isEqualTo(2);
            assertThat(first.newDeliveries()).isEqualTo(4);
            assertThat(first.rejected()).isEmpty();
            assertThat(server.http().get("/v1/orders/801").json().path("financial_status").asText()).isEqualTo("refunded");
            assertThat(server.http().get("/v1/orders/803").json().path("version").asInt()).isEqualTo(1);
            assertThat(outcomes(802)).containsExactly("orders/create processed", "reconcile discarded");
            assertThat(outcomes(801)).containsExactlyInAnyOrder("orders/create processed", "reconcile discarded",
                    "reconcile processed");

            Reconciler.Result second = reconciler.run(Orders.SHOP, Optional.empty());
            Inbox.awaitDrained(server.db());
            assertThat(second.since()).isEqualTo(first.cursor());
            assertThat(second.newDeliveries()).isZero();
            assertThat(second.alreadyKnown()).isEqualTo(1); // the boundary order, fetched again, is not stored again
            assertThat(outcomes(801)).hasSize(3);
        }
    }

    @Test
    void serve_can_reconcile_on_a_timer() {
        try (ShopifyAdminSimulator admin = new ShopifyAdminSimulator(10)) {
            java.time.Instant anHourAgo = java.time.Instant.now().minusSeconds(3_600);
            admin.add(ShopifyPayloads.order(new ShopifyPayloads.OrderVersion(901, anHourAgo, anHourAgo, "paid", null,
                    null, "12.00", 1))); // a first run looks back 30 days
            Map<String, String> settings = TestNodes.with(TestNodes.settings(server.db().database().url()),
                    Config.ROLE, "ingest", Config.SHOPIFY_RECONCILE_MINUTES, "60", Config.SHOPIFY_SHOP, Orders.SHOP,
                    Config.SHOPIFY_ADMIN_URL, admin.baseUrl().toString(), Config.SHOPIFY_ADMIN_TOKEN, ShopifyAdminSimulator.TOKEN);
            try (Node node = TestNodes.start(settings)) {
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        server.http().get("/v1/orders/901").status() == 200);
            }
            assertThat(outcomes(901)).containsExactly("reconcile processed");
        }
    }

    private static List<String> outcomes(long orderId) {
        List<String> rows = new ArrayList<>();
        for (JsonNode a : server.http().get("/v1/orders/" + orderId + "/audit").json().path("items")) {
            rows.add(a.path("topic").asText() + " " + a.path("outcome").asText());
        }
        return rows;
    }
}
