package io.steadfast.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.config.Config;
import io.steadfast.simulator.LiveClient;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestPostgres;
import io.steadfast.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the dashboard reads besides the API it shares with every client: who am I, tickets, counts, lists, reports. */
class DashboardApiTest {
    static final Path REPORTS = TestPostgres.tempDir("steadfast-reports");
    static final String PHONE = "107000000001";
    static final String OPERATOR = TestNodes.API_TOKEN;
    static final String PASSWORD = "correct horse battery staple";

    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(Config.REPORTS_DIR, REPORTS.toString()));
    final WhatsAppPayloads payloads = new WhatsAppPayloads(PHONE, "+1 555 0101");
    int sent;

    @BeforeEach
    void aChannel() {
        assertThat(api("POST", "/v1/channels", "{\"phone_number_id\": \"" + PHONE + "\"}", OPERATOR).status()).isIn(200, 201);
    }

    Http.Response api(String method, String path, String json, String credential) {
        return server.http().api(method, path, json, credential);
    }

    String userToken(String credential, String email, String role) {
        assertThat(api("POST", "/v1/users", "{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD
                + "\", \"role\": \"" + role + "\"}", credential).status()).isEqualTo(201);
        return api("POST", "/v1/auth/token", "{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\"}", null)
                .json().path("access_token").asText();
    }

    void customerWrites(String waId, String text) {
        assertThat(server.http().postWebhook(payloads.messages(List.of(new Message("wamid.api-" + (++sent) + "-" + waId,
                waId, "Customer " + waId, Instant.now().getEpochSecond() + sent, text)))).status()).isEqualTo(200);
    }

    JsonNode conversation(String waId) {
        Inbox.awaitDrained(server.db());
        for (JsonNode c : api("GET", "/v1/conversations", null, OPERATOR).json().path("items")) {
            if (c.at("/customer/wa_id").asText().equals(waId)) {
                return c;
            }
        }
        throw new AssertionError("no conversation with " + waId);
    }

    @Test
    void me_says_which_business_role_and_person_a_credential_is() {
        JsonNode operator = api("GET", "/v1/me", null, OPERATOR).json();
        assertThat(operator.path("operator").asBoolean()).isTrue();
        assertThat(operator.at("/business/name").asText()).isEqualTo("default");
        assertThat(operator.path("role").asText()).isEqualTo("admin");

        String token = userToken(OPERATOR, "agent@me.test", "agent");
        JsonNode agent = api("GET", "/v1/me", null, token).json();
        assertThat(agent.path("email").asText()).isEqualTo("agent@me.test");
        assertThat(agent.path("role").asText()).isEqualTo("agent");
        assertThat(agent.path("operator").asBoolean()).isFalse();

        String key = api("POST", "/v1/businesses", "{\"name\": \"Keys Inc\"}", OPERATOR).json().path("api_key").asText();
        JsonNode byKey = api("GET", "/v1/me", null, key).json();
        assertThat(byKey.at("/business/name").asText()).isEqualTo("Keys Inc");
        assertThat(byKey.path("credential").asText()).startsWith("key:");
        assertThat(byKey.has("email")).isFalse();
        assertThat(api("GET", "/v1/me", null, null).status()).isEqualTo(401);
    }

    @Test
    void a_sync_ticket_opens_the_feed_without_a_header_and_opens_nothing_else() {
        String token = userToken(OPERATOR, "live@me.test", "agent");
        JsonNode ticket = api("POST", "/v1/sync/tickets", null, token).json();
        assertThat(ticket.path("expires_in").asInt()).isEqualTo(60);
        URI base = URI.create("http://127.0.0.1:" + server.node().port());
        try (LiveClient live = LiveClient.connect(base, null, "?ready=true&ticket=" + ticket.path("ticket").asText())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> live.received().stream()
                    .anyMatch(m -> m.path("type").asText().equals("ready")));
            customerWrites("15550008001", "After ready");
            await().atMost(Duration.ofSeconds(10)).until(() -> live.received().stream()
                    .anyMatch(m -> m.at("/message/text").asText().equals("After ready")));
            assertThat(live.received().getFirst().path("type").asText()).isEqualTo("ready");
        }
        Http.Response asBearer = api("GET", "/v1/conversations", null, ticket.path("ticket").asText());
        assertThat(asBearer.status()).isEqualTo(401);
        assertThatThrownBy(() -> LiveClient.connect(base, null, "?ticket=" + token)).as("an access token is no ticket")
                .hasMessageContaining("cannot open /v1/sync");
        assertThatThrownBy(() -> LiveClient.connect(base, null, "?ticket=forged.ticket.value"))
                .hasMessageContaining("cannot open /v1/sync");
        assertThat(api("POST", "/v1/sync/tickets", null, null).status()).isEqualTo(401);
    }

    @Test
    void unread_counts_start_again_when_a_conversation_is_read() {
        customerWrites("15550008002", "first");
        customerWrites("15550008002", "second");
        JsonNode before = conversation("15550008002");
        assertThat(before.path("unread").asInt()).isEqualTo(2);
        assertThat(before.path("failed").asInt()).isZero();
        assertThat(before.path("preview").asText()).isEqualTo("second");

        long id = before.path("id").asLong();
        assertThat(api("POST", "/v1/conversations/" + id + "/read", null, OPERATOR).json().path("unread").asInt()).isZero();
        assertThat(api("GET", "/v1/conversations/" + id, null, OPERATOR).json().path("unread").asInt()).isZero();
        customerWrites("15550008002", "third");
        assertThat(conversation("15550008002").path("unread").asInt()).isEqualTo(1);

        String other = api("POST", "/v1/businesses", "{\"name\": \"Elsewhere\"}", OPERATOR).json().path("api_key").asText();
        assertThat(api("POST", "/v1/conversations/" + id + "/read", null, other).status()).isEqualTo(404);
        assertThat(api("GET", "/v1/conversations/" + id, null, other).status()).isEqualTo(404);
        assertThat(conversation("15550008002").path("unread").asInt()).as("another business's read changed nothing").isEqualTo(1);
        assertThat(api("POST", "/v1/conversations/999999/read", null, OPERATOR).status()).isEqualTo(404);
        assertThat(api("POST", "/v1/conversations/abc/read", null, OPERATOR).status()).isEqualTo(400);
    }

    @Test
    void products_wallets_and_store_orders_are_listed_for_their_business_only() {
        long mug = api("POST", "/v1/store/products", "{\"sku\": \"L-1\", \"name\": \"Mug\", \"price\": \"3.00\", "
                + "\"currency\": \"USD\", \"stock\": 9}", OPERATOR).json().path("id").asLong();
        api("POST", "/v1/store/products/" + mug + "/activate", null, OPERATOR);
        api("POST", "/v1/wallets", "{\"customer_ref\": \"c-1\", \"currency\": \"USD\"}", OPERATOR);
        for (int i = 1; i <= 3; i++) {
            assertThat(server.http().post("/v1/store/orders", "application/json", ("{\"items\": [{\"product_id\": " + mug
                    + ", \"quantity\": 1}]}").getBytes(), "Authorization", "Bearer " + OPERATOR, "Idempotency-Key",
                    "list-" + i).status()).isEqualTo(201);
        }
        assertThat(api("GET", "/v1/store/products", null, OPERATOR).json().path("items")).hasSize(1);
        assertThat(api("GET", "/v1/wallets", null, OPERATOR).json().path("items")).hasSize(1);
        JsonNode newest = api("GET", "/v1/store/orders?order=newest&limit=2", null, OPERATOR).json();
        JsonNode oldest = api("GET", "/v1/store/orders?limit=2", null, OPERATOR).json();
        assertThat(newest.path("items").get(0).path("id").asLong()).isGreaterThan(newest.path("items").get(1).path("id").asLong());
        assertThat(oldest.path("items").get(0).path("id").asLong()).isLessThan(oldest.path("items").get(1).path("id").asLong());
        JsonNode rest = api("GET", "/v1/store/orders?order=newest&limit=2&cursor=" + newest.path("next_cursor").asText(),
                null, OPERATOR).json();
        assertThat(rest.path("items")).hasSize(1);
        assertThat(rest.path("items").get(0).path("id").asLong()).isEqualTo(oldest.path("items").get(0).path("id").asLong());
        assertThat(api("GET", "/v1/store/orders?order=sideways", null, OPERATOR).status()).isEqualTo(400);

        String other = api("POST", "/v1/businesses", "{\"name\": \"Lists Ltd\"}", OPERATOR).json().path("api_key").asText();
        assertThat(api("GET", "/v1/store/products", null, other).json().path("items")).isEmpty();
        assertThat(api("GET", "/v1/wallets", null, other).json().path("items")).isEmpty();
        assertThat(api("GET", "/v1/store/orders?order=newest", null, other).json().path("items")).isEmpty();
    }

    @Test
    void the_inbox_history_is_sampled_from_the_start() {
        JsonNode history = server.http().getWithoutToken("/health/history").json();
        assertThat(history.path("interval_seconds").asInt()).isEqualTo(10);
        assertThat(history.path("items")).isNotEmpty();
        assertThat(history.path("items").get(0).fieldNames()).toIterable()
                .contains("at", "pending", "processing", "dead", "oldest_pending_age_seconds");
    }

    @Test
    void reports_are_the_operators_newest_runs_and_nothing_outside_them() throws IOException {
        write("chaos-reports/20261201-100000", "{\"verdict\": \"pass\", \"command\": \"./steadfast chaos --seed 7\"}");
        write("load-reports/sends-20261201-110000", "{\"scenario\": \"sends\", \"passed\": false}");
        Files.createDirectories(REPORTS.resolve("chaos-reports/20261201-120000")); // a run still writing: no report.json

        JsonNode items = api("GET", "/v1/reports", null, OPERATOR).json().path("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("title").asText()).isEqualTo("./steadfast chaos --seed 7");
        assertThat(items.get(0).path("passed").asBoolean()).isTrue();
        assertThat(items.get(1).path("title").asText()).isEqualTo("steadfast load sends");
        assertThat(items.get(1).path("passed").asBoolean()).isFalse();
        Http.Response html = api("GET", items.get(1).path("html").asText(), null, OPERATOR);
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.body()).contains("report of load-reports/sends-20261201-110000");

        String admin = userToken(OPERATOR, "admin@reports.test", "admin");
        assertThat(api("GET", "/v1/reports", null, admin).status()).isEqualTo(403);
        assertThat(api("GET", "/v1/reports/load/sends-20261201-110000", null, admin).status()).isEqualTo(403);
        assertThat(api("GET", "/v1/reports/chaos/..", null, OPERATOR).status()).isEqualTo(404);
        assertThat(api("GET", "/v1/reports/chaos/%2e%2e%2fload-reports", null, OPERATOR).status()).isEqualTo(404);
        assertThat(api("GET", "/v1/reports/secrets/x", null, OPERATOR).status()).isEqualTo(404);
        assertThat(api("GET", "/v1/reports/chaos/20261201-120000", null, OPERATOR).status()).isEqualTo(404);
    }

    private static void write(String run, String json) throws IOException {
        Path dir = Files.createDirectories(REPORTS.resolve(run));
        Files.writeString(dir.resolve("report.json"), json);
        Files.writeString(dir.resolve("report.html"), "<p>report of " + run + "</p>");
    }
}
