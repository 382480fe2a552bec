package io.steadfast.commerce;

import static io.steadfast.commerce.Shop.items;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.support.Http;
import io.steadfast.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Carts and store orders: reservations that end once, orders that take everything or nothing, forward-only moves. */
class StoreTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    Shop shop() {
        return new Shop(server.http());
    }

    long count(String sql, Object... args) {
        return server.db().count(sql, args);
    }

    @Test
    void a_cart_reserves_stock_and_gives_it_back_once_when_it_expires() {
        long mug = shop().product("MUG", "8.00", 10);
        Http.Response cart = shop().cart("{\"items\": " + items(mug, 4) + ", \"ttl_seconds\": 1}");

        assertThat(cart.status()).as(cart.body()).isEqualTo(201);
        assertThat(cart.json().path("expires_at").asText()).isNotEmpty();
        assertThat(shop().productOf(mug).path("reserved").asLong()).isEqualTo(4);
        assertThat(shop().productOf(mug).path("available").asLong()).isEqualTo(6);

        long cartId = cart.json().path("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> shop().productOf(mug).path("reserved").asLong() == 0);
        assertThat(server.http().api("GET", "/v1/store/carts/" + cartId, null, Shop.OPERATOR).json().path("status")
                .asText()).isEqualTo("expired");
        assertThat(shop().productOf(mug).path("on_hand").asLong()).isEqualTo(10);
        assertThat(shop().order("late", "{\"cart_id\": " + cartId + "}").json().path("error").asText())
                .isEqualTo("cart_not_active");
        assertThat(shop().productOf(mug).path("reserved").asLong()).as("released once, not twice").isZero();
    }

    @Test
    void short_lines_are_all_named_and_nothing_is_reserved_or_taken() {
        long a = shop().product("A", "1.00", 2);
        long b = shop().product("B", "1.00", 5);
        long c = shop().product("C", "1.00", 1);

        for (Http.Response r : List.of(shop().cart("{\"items\": " + items(a, 3, b, 5, c, 2) + "}"),
                shop().order("short", "{\"items\": " + items(a, 3, b, 5, c, 2) + "}"))) {
            assertThat(r.status()).as(r.body()).isEqualTo(409);
            assertThat(r.json().path("error").asText()).isEqualTo("out_of_stock");
            JsonNode shortLines = r.json().path("short");
            assertThat(shortLines).hasSize(2);
            assertThat(shortLines.get(0).path("product_id").asLong()).isEqualTo(a);
            assertThat(shortLines.get(0).path("requested").asLong()).isEqualTo(3);
            assertThat(shortLines.get(0).path("available").asLong()).isEqualTo(2);
            assertThat(shortLines.get(1).path("product_id").asLong()).isEqualTo(c);
        }
        for (long id : new long[] {a, b, c}) {
            assertThat(shop().productOf(id).path("reserved").asLong()).isZero();
        }
        assertThat(shop().productOf(b).path("on_hand").asLong()).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM cart") + count("SELECT count(*) FROM store_order")).isZero();
    }

    @Test
    void bad_lines_are_422s_naming_the_line_and_write_nothing() {
        long ok = shop().product("OK", "1.00", 5);
        long draft = server.http().api("POST", "/v1/store/products", "{\"sku\": \"DRAFT\", \"name\": \"d\", \"price\": "
                + "\"1.00\", \"currency\": \"EUR\", \"stock\": 5}", Shop.OPERATOR).json().path("id").asLong();
        long usd = server.http().api("POST", "/v1/store/products", "{\"sku\": \"USD\", \"name\": \"u\", \"price\": "
                + "\"1.00\", \"currency\": \"USD\", \"stock\": 5}", Shop.OPERATOR).json().path("id").asLong();
        server.http().api("POST", "/v1/store/products/" + usd + "/activate", null, Shop.OPERATOR);
        for (String[] c : List.of(
                new String[] {"[{\"product_id\": " + ok + ", \"quantity\": 0}]", "items[0].quantity"},
                new String[] {"[{\"product_id\": " + ok + ", \"quantity\": -2}]", "items[0].quantity"},
                new String[] {"[{\"product_id\": " + ok + ", \"quantity\": 1.5}]", "items[0].quantity"},
                new String[] {"[{\"product_id\": " + ok + ", \"quantity\": \"2\"}]", "items[0].quantity"},
                new String[] {items(ok, 1, 999_999, 1), "items[1]: no product has id 999999"},
                new String[] {items(ok, 1, draft, 1), "items[1]: product " + draft + " (DRAFT) is draft"},
                new String[] {items(ok, 1, ok, 2), "items[1] repeats product"},
                new String[] {items(ok, 1, usd, 1), "items are priced in EUR, USD"})) {
            Http.Response cart = shop().cart("{\"items\": " + c[0] + "}");
            Http.Response order = shop().order("bad-" + c[0].hashCode(), "{\"items\": " + c[0] + "}");
            for (Http.Response r : List.of(cart, order)) {
                assertThat(r.status()).as(c[0] + " " + r.body()).isEqualTo(422);
                assertThat(r.json().path("message").asText()).as(c[0]).startsWith(c[1]);
            }
        }
        assertThat(shop().order("neither", "{}").status()).isEqualTo(422);
        assertThat(shop().order("no-wallet", "{\"items\": " + items(ok, 1) + ", \"wallet_id\": 999999}").json()
                .path("message").asText()).startsWith("wallet_id: no wallet has id 999999");
        assertThat(server.http().post("/v1/store/orders", "application/json", ("{\"items\": " + items(ok, 1) + "}")
                .getBytes(), "Authorization", "Bearer " + Shop.OPERATOR).status()).as("no key").isEqualTo(400);
        assertThat(shop().productOf(ok).path("on_hand").asLong()).isEqualTo(5);
        assertThat(shop().productOf(ok).path("reserved").asLong()).isZero();
        assertThat(count("SELECT count(*) FROM cart") + count("SELECT count(*) FROM store_order")
                + count("SELECT count(*) FROM idempotency_key")).isZero();
    }

    @Test
    void an_order_takes_its_stock_once_per_key_and_moves_forward_only() {
        long mug = shop().product("MUG", "8.00", 10);
        long tee = shop().product("TEE", "20.00", 3);
        Http.Response placed = shop().order("o-1", "{\"items\": " + items(tee, 1, mug, 2) + ", \"email\": "
                + "\"ann@example.com\", \"shipping_address\": {\"city\": \"Lisbon\"}}");

        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        JsonNode order = placed.json();
        assertThat(order.path("status").asText()).isEqualTo("placed");
        assertThat(order.path("subtotal").asText()).isEqualTo("36.00");
        assertThat(order.path("shipping").path("source").asText()).isEqualTo("fallback");
        assertThat(order.path("shipping").path("amount").asText()).isEqualTo("5.00");
        assertThat(order.path("total").asText()).isEqualTo("41.00");
        assertThat(order.path("items")).hasSize(2);
        assertThat(order.path("notifications").path("email").path("status").asText()).isEqualTo("skipped");

        Http.Response again = shop().order("o-1", "{\"items\": " + items(tee, 1, mug, 2) + ", \"email\": "
                + "\"ann@example.com\", \"shipping_address\": {\"city\": \"Lisbon\"}}");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().path("id").asLong()).isEqualTo(order.path("id").asLong());
        assertThat(shop().productOf(mug).path("on_hand").asLong()).isEqualTo(8);
        assertThat(shop().productOf(tee).path("on_hand").asLong()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM store_order")).isEqualTo(1);

        long id = order.path("id").asLong();
        assertThat(shop().move(id, "deliver").json().path("error").asText()).isEqualTo("invalid_transition");
        assertThat(shop().move(id, "ship").json().path("status").asText()).isEqualTo("shipped");
        assertThat(shop().move(id, "ship").status()).as("repeated, no change").isEqualTo(200);
        assertThat(shop().move(id, "cancel").json().path("error").asText()).isEqualTo("invalid_transition");
        assertThat(shop().move(id, "deliver").json().path("status").asText()).isEqualTo("delivered");
        assertThat(shop().move(id, "ship").status()).isEqualTo(409);
        assertThat(shop().productOf(mug).path("on_hand").asLong()).isEqualTo(8);
        assertThat(server.http().api("POST", "/v1/store/orders/999999/ship", null, Shop.OPERATOR).status())
                .isEqualTo(404);
    }

    @Test
    void an_order_from_a_cart_takes_what_the_cart_reserved() {
        long mug = shop().product("MUG", "8.00", 5);
        long cartId = shop().cart("{\"items\": " + items(mug, 3) + "}").json().path("id").asLong();
        assertThat(shop().order("other", "{\"items\": " + items(mug, 3) + "}").status())
                .as("the cart's units are not for others").isEqualTo(409);

        Http.Response placed = shop().order("from-cart", "{\"cart_id\": " + cartId + "}");

        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        assertThat(placed.json().path("cart_id").asLong()).isEqualTo(cartId);
        JsonNode mugNow = shop().productOf(mug);
        assertThat(mugNow.path("on_hand").asLong()).isEqualTo(2);
        assertThat(mugNow.path("reserved").asLong()).isZero();
        assertThat(shop().order("from-cart-again", "{\"cart_id\": " + cartId + "}").json().path("error").asText())
                .isEqualTo("cart_not_active");
    }

    @Test
    void a_wallet_pays_and_a_cancel_puts_back_the_stock_and_refunds_once() {
        long mug = shop().product("MUG", "8.00", 5);
        long wallet = shop().wallet("ann", "30.00");
        Http.Response poor = shop().order("too-much", "{\"items\": " + items(mug, 4) + ", \"wallet_id\": " + wallet + "}");
        assertThat(poor.status()).as(poor.body()).isEqualTo(409);
        assertThat(poor.json().path("error").asText()).isEqualTo("insufficient_funds");
        assertThat(shop().productOf(mug).path("on_hand").asLong()).as("nothing taken").isEqualTo(5);

        Http.Response paid = shop().order("pay", "{\"items\": " + items(mug, 2) + ", \"wallet_id\": " + wallet + "}");
        assertThat(paid.status()).as(paid.body()).isEqualTo(201);
        assertThat(paid.json().path("status").asText()).isEqualTo("paid");
        assertThat(shop().walletOf(wallet).path("balance").asText()).isEqualTo("9.00");
        long id = paid.json().path("id").asLong();

        List<Integer> cancels = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> racing = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                racing.add(pool.submit(() -> shop().move(id, "cancel").status()));
            }
            for (Future<Integer> f : racing) {
                cancels.add(f.get());
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(cancels).containsOnly(200);
        assertThat(shop().orderOf(id).path("status").asText()).isEqualTo("cancelled");
        assertThat(shop().walletOf(wallet).path("balance").asText()).isEqualTo("30.00");
        assertThat(shop().productOf(mug).path("on_hand").asLong()).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM wallet_entry WHERE kind = 'refund'")).isEqualTo(1);
        assertThat(count("SELECT coalesce(sum(delta), 0) FROM stock_movement WHERE product_id = ?", mug)).isEqualTo(5);
        assertThat(count("SELECT coalesce(sum(amount), 0) FROM wallet_entry WHERE wallet_id = ?", wallet)).isEqualTo(3000);
        assertThat(shop().move(id, "ship").status()).isEqualTo(409);
    }

    @Test
    void two_hundred_buyers_racing_for_five_units_make_exactly_five_orders() throws Exception {
        for (int run = 0; run < 3; run++) {
            long last = shop().product("LAST-" + run, "15.00", 5);
            List<Integer> statuses = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> buyers = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String key = "buyer-" + run + "-" + i;
                    buyers.add(pool.submit(() -> shop().order(key, "{\"items\": " + items(last, 1) + "}").status()));
                }
                for (Future<Integer> f : buyers) {
                    statuses.add(f.get());
                }
            }
            assertThat(statuses.stream().filter(s -> s == 201)).as("run " + run).hasSize(5);
            assertThat(statuses.stream().filter(s -> s == 409)).as("run " + run).hasSize(195);
            assertThat(shop().productOf(last).path("on_hand").asLong()).isZero();
            assertThat(count("SELECT coalesce(sum(quantity), 0) FROM store_order_item WHERE product_id = ?", last))
                    .isEqualTo(5);
        }
    }

    @Test
    void a_failure_after_the_stock_update_leaves_nothing_and_the_key_can_be_retried() {
        long mug = shop().product("MUG", "8.00", 5);
        long wallet = shop().wallet("bob", "100.00");
        server.node().faults().failNextCheckouts(1);

        Http.Response failed = shop().order("retry-me", "{\"items\": " + items(mug, 2) + ", \"wallet_id\": " + wallet
                + "}");

        assertThat(failed.status()).as(failed.body()).isEqualTo(500);
        assertThat(shop().productOf(mug).path("on_hand").asLong()).isEqualTo(5);
        assertThat(shop().walletOf(wallet).path("balance").asText()).isEqualTo("100.00");
        assertThat(count("SELECT count(*) FROM store_order") + count("SELECT count(*) FROM order_notification")
                + count("SELECT count(*) FROM inbox_event WHERE event_type LIKE 'store.%'")).isZero();

        Http.Response retried = shop().order("retry-me", "{\"items\": " + items(mug, 2) + ", \"wallet_id\": " + wallet
                + "}");
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        assertThat(shop().productOf(mug).path("on_hand").asLong()).isEqualTo(3);
        assertThat(shop().walletOf(wallet).path("balance").asText()).isEqualTo("79.00");
    }
}
