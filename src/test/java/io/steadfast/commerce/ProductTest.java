package io.steadfast.commerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.db.BusinessScope;
import io.steadfast.support.Http;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Products and their stock: created as drafts, activated, adjusted once per key, never below zero or reservations. */
class ProductTest {
    @RegisterExtension
    static final TestServer server = new TestServer();
    static final String OPERATOR = TestNodes.API_TOKEN;

    Http http() {
        return server.http();
    }

    Http.Response create(String json) {
        return http().api("POST", "/v1/store/products", json, OPERATOR);
    }

    Http.Response adjust(long id, String key, String json) {
        return http().post("/v1/store/products/" + id + "/stock", "application/json", json.getBytes(),
                "Authorization", "Bearer " + OPERATOR, "Idempotency-Key", key);
    }

    JsonNode product(long id) {
        return http().api("GET", "/v1/store/products/" + id, null, OPERATOR).json();
    }

    @Test
    void a_product_is_created_as_a_draft_activated_and_shows_its_stock() {
        Http.Response created = create("{\"sku\": \"MUG-1\", \"name\": \"Mug\", \"price\": \"8.50\", \"currency\": \"eur\", "
                + "\"stock\": 12}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode p = created.json();
        assertThat(p.path("status").asText()).isEqualTo("draft");
        assertThat(p.path("price").asText()).isEqualTo("8.50");
        assertThat(p.path("currency").asText()).isEqualTo("EUR");
        assertThat(p.path("on_hand").asLong()).isEqualTo(12);
        assertThat(p.path("available").asLong()).isEqualTo(12);
        long id = p.path("id").asLong();
        assertThat(http().api("POST", "/v1/store/products/" + id + "/activate", null, OPERATOR).json().path("status")
                .asText()).isEqualTo("active");
        assertThat(product(id).path("status").asText()).isEqualTo("active");
        assertThat(create("{\"sku\": \"MUG-1\", \"name\": \"Other\", \"price\": \"1.00\", \"currency\": \"EUR\"}")
                .json().path("error").asText()).isEqualTo("sku_taken");
    }

    @Test
    void bad_products_and_adjustments_are_refused_naming_the_field_and_write_nothing() {
        for (String[] c : List.of(
                new String[] {"{\"sku\": \"A B\", \"name\": \"x\", \"price\": \"1\", \"currency\": \"EUR\"}", "sku "},
                new String[] {"{\"sku\": \"A\", \"name\": \"\", \"price\": \"1\", \"currency\": \"EUR\"}", "name "},
                new String[] {"{\"sku\": \"A\", \"name\": \"x\", \"price\": \"-1\", \"currency\": \"EUR\"}", "price "},
                new String[] {"{\"sku\": \"A\", \"name\": \"x\", \"price\": \"1.001\", \"currency\": \"EUR\"}", "price "},
                new String[] {"{\"sku\": \"A\", \"name\": \"x\", \"price\": \"1\", \"currency\": \"XYZ1\"}", "currency "},
                new String[] {"{\"sku\": \"A\", \"name\": \"x\", \"price\": \"1\", \"currency\": \"EUR\", \"stock\": -3}", "stock "},
                new String[] {"{\"sku\": \"A\", \"name\": \"x\", \"price\": \"1\", \"currency\": \"EUR\", \"stock\": 1.5}", "stock "})) {
            Http.Response r = create(c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(422);
            assertThat(r.json().path("message").asText()).as(c[0]).startsWith(c[1]);
        }
        long id = create("{\"sku\": \"B\", \"name\": \"x\", \"price\": \"1\", \"currency\": \"EUR\", \"stock\": 2}")
                .json().path("id").asLong();
        assertThat(adjust(id, "a1", "{\"delta\": 0}").status()).isEqualTo(422);
        assertThat(adjust(id, "a2", "{\"delta\": \"3\"}").status()).isEqualTo(422);
        assertThat(adjust(999_999, "a3", "{\"delta\": 3}").status()).isEqualTo(404);
        assertThat(http().post("/v1/store/products/" + id + "/stock", "application/json", "{\"delta\": 3}".getBytes(),
                "Authorization", "Bearer " + OPERATOR).status()).isEqualTo(400);
        assertThat(product(id).path("on_hand").asLong()).isEqualTo(2);
        assertThat(server.db().count("SELECT count(*) FROM product")).isEqualTo(1);
        assertThat(server.db().count("SELECT count(*) FROM stock_movement")).isEqualTo(1);
    }

    @Test
    void concurrent_removals_take_exactly_the_stock_there_is_and_a_repeated_key_moves_it_once() throws Exception {
        long id = create("{\"sku\": \"C\", \"name\": \"x\", \"price\": \"1\", \"currency\": \"EUR\", \"stock\": 20}")
                .json().path("id").asLong();
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> removals = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String key = "take-" + i;
                removals.add(pool.submit(() -> adjust(id, key, "{\"delta\": -1, \"reason\": \"sold\"}").status()));
            }
            for (Future<Integer> f : removals) {
                statuses.add(f.get());
            }
        }
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(20);
        assertThat(statuses.stream().filter(s -> s == 409)).hasSize(30);
        assertThat(product(id).path("on_hand").asLong()).isZero();

        assertThat(adjust(id, "restock", "{\"delta\": 5}").status()).isEqualTo(200);
        assertThat(adjust(id, "restock", "{\"delta\": 5}").status()).isEqualTo(200);
        assertThat(product(id).path("on_hand").asLong()).isEqualTo(5);
        assertThat(server.db().count("SELECT coalesce(sum(delta), 0) FROM stock_movement WHERE product_id = ?", id))
                .as("movements sum to what is on hand").isEqualTo(5);
    }

    @Test
    void the_database_refuses_negative_stock_and_reservations_above_it_even_from_the_application_role() {
        long id = create("{\"sku\": \"D\", \"name\": \"x\", \"price\": \"1\", \"currency\": \"EUR\", \"stock\": 3}")
                .json().path("id").asLong();
        var app = server.node().database().jdbi();
        assertThatThrownBy(() -> app.useTransaction(h -> {
            BusinessScope.actForAll(h);
            h.execute("UPDATE product SET on_hand = -1 WHERE id = " + id);
        })).hasMessageContaining("product_on_hand_not_negative");
        assertThatThrownBy(() -> app.useTransaction(h -> {
            BusinessScope.actForAll(h);
            h.execute("UPDATE product SET reserved = 4 WHERE id = " + id);
        })).hasMessageContaining("product_reserved_within_on_hand");
        assertThatThrownBy(() -> app.useTransaction(h -> {
            BusinessScope.actForAll(h);
            h.execute("DELETE FROM stock_movement");
        })).hasMessageContaining("permission denied");
    }
}
