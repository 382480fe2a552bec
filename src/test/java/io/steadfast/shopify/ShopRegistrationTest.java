package io.steadfast.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.config.Config;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A shop nobody registered is not dropped: its orders wait in the dead letters until it is, then replay. */
class ShopRegistrationTest {
    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(Config.AUTO_REGISTER_CHANNELS, "false"));

    @Test
    void an_unregistered_shop_is_dead_lettered_with_the_reason_and_applies_after_registration_and_replay() {
        Orders.send(server.http(), "orders/create", Orders.version(77, 3, "paid"), "w-77", "e-77");
        Inbox.awaitDrained(server.db());

        JsonNode dead = server.http().get("/v1/inbox/dead").json().path("items").get(0);
        assertThat(dead.path("reason").asText()).contains(Orders.SHOP, "POST /v1/channels", "shop_domain");
        assertThat(server.http().get("/v1/orders/77").status()).isEqualTo(404);

        assertThat(server.http().postApi("/v1/channels", "{\"shop_domain\": \"" + Orders.SHOP + "\"}").status())
                .isEqualTo(201);
        assertThat(server.http().postApi("/v1/inbox/" + dead.path("id").asLong() + "/replay", "").status()).isEqualTo(200);
        Inbox.awaitDrained(server.db());

        JsonNode order = server.http().get("/v1/orders/77").json();
        assertThat(order.path("financial_status").asText()).isEqualTo("paid");
        assertThat(order.path("shop_domain").asText()).isEqualTo(Orders.SHOP);
        assertThat(server.http().get("/v1/orders/77/audit").json().path("items")).hasSize(1);
        assertThat(server.http().get("/v1/channels").json().path("items").get(0).path("shop_domain").asText())
                .isEqualTo(Orders.SHOP);
    }
}
