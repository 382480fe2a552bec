package io.steadfast.commerce;

import static io.steadfast.commerce.Shop.items;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.support.Http;
import io.steadfast.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Destructive admin actions on products: confirmed or refused with their impact, dry runs, bulk, audit, roles. */
class ProductAdminTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    Shop shop() {
        return new Shop(server.http());
    }

    Http.Response admin(String method, String path) {
        return server.http().api(method, path, null, Shop.OPERATOR);
    }

    Http.Response bulk(String query, String json) {
        return server.http().api("POST", "/v1/store/products/bulk" + query, json, Shop.OPERATOR);
    }

    String status(long id) {
        JsonNode p = shop().productOf(id);
        return p.path("deleted").asBoolean() ? "deleted" : p.path("status").asText();
    }

    long auditRows() {
        return server.db().count("SELECT count(*) FROM admin_audit");
    }

    @Test
    void without_confirmation_a_destructive_action_answers_its_impact_and_changes_nothing() {
        long mug = shop().product("MUG", "8.00", 10);
        shop().order("open", "{\"items\": " + items(mug, 1) + "}");
        long shipped = shop().order("shipped", "{\"items\": " + items(mug, 1) + "}").json().path("id").asLong();
        shop().move(shipped, "ship");
        shop().cart("{\"items\": " + items(mug, 3) + "}");
        long audited = auditRows();

        for (String[] call : List.of(new String[] {"POST", "/disable"}, new String[] {"POST", "/archive"},
                new String[] {"DELETE", ""})) {
            Http.Response r = admin(call[0], "/v1/store/products/" + mug + call[1]);
            assertThat(r.status()).as(call[1] + " " + r.body()).isEqualTo(409);
            assertThat(r.json().path("error").asText()).isEqualTo("confirmation_required");
            JsonNode impact = r.json().path("impact");
            assertThat(impact.path("open_orders").asLong()).isEqualTo(1);
            assertThat(impact.path("pending_shipments").asLong()).isEqualTo(1);
            assertThat(impact.path("active_reservations").asLong()).isEqualTo(3);
            assertThat(impact.path("carts").asLong()).isEqualTo(1);

            Http.Response dry = admin(call[0], "/v1/store/products/" + mug + call[1] + "?dry_run=true");
            assertThat(dry.status()).as(dry.body()).isEqualTo(200);
            assertThat(dry.json().path("dry_run").asBoolean()).isTrue();
            assertThat(dry.json().path("impact").path("open_orders").asLong()).isEqualTo(1);
        }
        assertThat(status(mug)).isEqualTo("active");
        assertThat(auditRows()).as("dry runs and refusals write no audit").isEqualTo(audited);
    }

    @Test
    void confirmed_actions_follow_the_lifecycle_and_are_refused_while_orders_need_the_product() {
        long mug = shop().product("MUG", "8.00", 10);
        long order = shop().order("open", "{\"items\": " + items(mug, 1) + "}").json().path("id").asLong();

        Http.Response archiveActive = admin("POST", "/v1/store/products/" + mug + "/archive?confirm=true");
        assertThat(archiveActive.status()).isEqualTo(409);
        assertThat(archiveActive.json().path("error").asText()).isEqualTo("product_in_use");
        assertThat(archiveActive.json().path("message").asText()).contains("disable it first");

        assertThat(admin("POST", "/v1/store/products/" + mug + "/disable?confirm=true").json().path("status").asText())
                .isEqualTo("disabled");
        assertThat(shop().order("after-disable", "{\"items\": " + items(mug, 1) + "}").status()).isEqualTo(422);
        assertThat(admin("POST", "/v1/store/products/" + mug + "/activate").json().path("status").asText())
                .as("a disabled product goes back on sale").isEqualTo("active");
        admin("POST", "/v1/store/products/" + mug + "/disable?confirm=true");

        Http.Response archiveBusy = admin("POST", "/v1/store/products/" + mug + "/archive?confirm=true");
        assertThat(archiveBusy.json().path("error").asText()).isEqualTo("product_in_use");
        assertThat(archiveBusy.json().path("impact").path("open_orders").asLong()).isEqualTo(1);
        Http.Response deleteBusy = admin("DELETE", "/v1/store/products/" + mug + "?confirm=true");
        assertThat(deleteBusy.json().path("error").asText()).isEqualTo("product_in_use");
        assertThat(status(mug)).isEqualTo("disabled");

        shop().move(order, "ship");
        assertThat(admin("DELETE", "/v1/store/products/" + mug + "?confirm=true").json().path("error").asText())
                .as("a pending shipment holds it").isEqualTo("product_in_use");
        shop().move(order, "deliver");
        assertThat(admin("POST", "/v1/store/products/" + mug + "/archive?confirm=true").json().path("status").asText())
                .isEqualTo("archived");
        assertThat(admin("DELETE", "/v1/store/products/" + mug + "?confirm=true").json().path("deleted").asBoolean())
                .isTrue();
        assertThat(admin("POST", "/v1/store/products/" + mug + "/restore").json().path("deleted").asBoolean()).isFalse();
        assertThat(admin("POST", "/v1/store/products/" + mug + "/restore").json().path("status").asText())
                .isEqualTo("disabled");
        assertThat(admin("POST", "/v1/store/products/" + mug + "/restore").json().path("error").asText())
                .isEqualTo("invalid_transition");
        assertThat(admin("POST", "/v1/store/products/999999/disable?confirm=true").status()).isEqualTo(404);
        assertThat(admin("POST", "/v1/store/products/" + mug + "/disable?confirm=maybe").status()).isEqualTo(400);

        JsonNode audit = server.http().api("GET", "/v1/audit?entity=product&id=" + mug, null, Shop.OPERATOR).json()
                .path("items");
        assertThat(audit.findValuesAsText("action")).containsExactly("create", "activate", "disable", "activate",
                "disable", "archive", "delete", "restore", "restore");
        JsonNode disable = audit.get(2);
        assertThat(disable.path("actor").asText()).isEqualTo("operator");
        assertThat(disable.path("before").path("status").asText()).isEqualTo("active");
        assertThat(disable.path("after").path("status").asText()).isEqualTo("disabled");
        assertThat(disable.path("at").asText()).isNotEmpty();
    }

    @Test
    void bulk_actions_are_all_or_nothing_unless_asked_and_report_each_item() {
        long free = shop().product("FREE", "1.00", 5);
        long busy = shop().product("BUSY", "1.00", 5);
        shop().order("busy", "{\"items\": " + items(busy, 1) + "}");
        admin("POST", "/v1/store/products/" + free + "/disable?confirm=true");
        admin("POST", "/v1/store/products/" + busy + "/disable?confirm=true");
        String ids = "{\"action\": \"archive\", \"ids\": [" + free + ", " + busy + ", 999999]}";

        Http.Response unconfirmed = bulk("", ids);
        assertThat(unconfirmed.status()).isEqualTo(409);
        assertThat(unconfirmed.json().path("error").asText()).isEqualTo("confirmation_required");
        assertThat(unconfirmed.json().path("impact").path("open_orders").asLong()).isEqualTo(1);

        Http.Response whole = bulk("?confirm=true", ids);
        assertThat(whole.status()).as(whole.body()).isEqualTo(409);
        assertThat(whole.json().path("applied").asBoolean()).isFalse();
        assertThat(whole.json().path("results").findValuesAsText("outcome"))
                .containsExactly("not_applied", "refused", "not_found");
        assertThat(status(free)).isEqualTo("disabled");

        Http.Response partial = bulk("?confirm=true", "{\"action\": \"archive\", \"ids\": [" + free + ", " + busy
                + "], \"all_or_nothing\": false}");
        assertThat(partial.status()).as(partial.body()).isEqualTo(200);
        assertThat(partial.json().path("results").findValuesAsText("outcome")).containsExactly("done", "refused");
        assertThat(partial.json().path("results").get(1).path("reason").asText()).contains("not yet delivered");
        assertThat(status(free)).isEqualTo("archived");
        assertThat(status(busy)).isEqualTo("disabled");

        for (String bad : List.of("{\"action\": \"burn\", \"ids\": [1]}", "{\"action\": \"archive\", \"ids\": []}",
                "{\"action\": \"archive\", \"ids\": [\"1\"]}", "{\"action\": \"archive\", \"ids\": [1, 1]}")) {
            assertThat(bulk("?confirm=true", bad).status()).as(bad).isEqualTo(422);
        }
    }

    @Test
    void an_agent_cannot_change_products_and_the_audit_needs_the_admin_role() {
        long mug = shop().product("MUG", "8.00", 10);
        String agent = server.http().api("POST", "/v1/api-keys", "{\"name\": \"desk\", \"role\": \"agent\"}",
                Shop.OPERATOR).json().path("api_key").asText();

        for (String[] call : List.of(new String[] {"POST", "/v1/store/products/" + mug + "/disable?confirm=true"},
                new String[] {"DELETE", "/v1/store/products/" + mug + "?confirm=true"},
                new String[] {"POST", "/v1/store/products/" + mug + "/restore"},
                new String[] {"GET", "/v1/audit?entity=product&id=" + mug})) {
            assertThat(server.http().api(call[0], call[1], null, agent).status()).as(call[1]).isEqualTo(403);
        }
        assertThat(server.http().api("GET", "/v1/store/products/" + mug, null, agent).status()).isEqualTo(200);
        assertThat(status(mug)).isEqualTo("active");
    }
}
