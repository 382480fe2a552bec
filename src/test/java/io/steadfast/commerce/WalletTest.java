package io.steadfast.commerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.Steadfast;
import io.steadfast.db.BusinessScope;
import io.steadfast.db.DatabaseUrl;
import io.steadfast.support.Http;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Wallets: no overdraft under any concurrency, one effect per key, holds that resolve once, a ledger that adds up. */
class WalletTest {
    @RegisterExtension
    static final TestServer server = new TestServer();
    static final String OPERATOR = TestNodes.API_TOKEN;

    Http http() {
        return server.http();
    }

    long open(String customer, String currency) {
        Http.Response r = http().api("POST", "/v1/wallets", "{\"customer_ref\": \"" + customer + "\", \"currency\": \""
                + currency + "\"}", OPERATOR);
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r.json().path("id").asLong();
    }

    Http.Response post(String path, String key, String json) {
        return key == null
                ? http().post(path, "application/json", json.getBytes(), "Authorization", "Bearer " + OPERATOR)
                : http().post(path, "application/json", json.getBytes(), "Authorization", "Bearer " + OPERATOR,
                "Idempotency-Key", key);
    }

    JsonNode wallet(long id) {
        return http().api("GET", "/v1/wallets/" + id, null, OPERATOR).json();
    }

    /** The ledger's entries summed, in minor units (cents), from the API. */
    long ledgerCents(long id) {
        return http().api("GET", "/v1/wallets/" + id + "/ledger?limit=1000", null, OPERATOR).json().path("items")
                .valueStream().mapToLong(e -> new java.math.BigDecimal(e.path("amount").asText()).movePointRight(2)
                        .longValueExact()).sum();
    }

    long cents(JsonNode amount) {
        return new java.math.BigDecimal(amount.asText()).movePointRight(2).longValueExact();
    }

    @Test
    void credits_and_debits_move_the_balance_and_the_ledger_sums_to_it() {
        long id = open("cust-1", "USD");
        assertThat(post("/v1/wallets/" + id + "/credit", "c1", "{\"amount\": \"20.00\", \"reason\": \"top-up\"}")
                .json().path("balance").asText()).isEqualTo("20.00");
        Http.Response debit = post("/v1/wallets/" + id + "/debit", "d1", "{\"amount\": \"7.25\", \"reason\": \"order\"}");

        assertThat(debit.status()).isEqualTo(200);
        assertThat(debit.json().path("balance").asText()).isEqualTo("12.75");
        assertThat(debit.json().path("entry").path("amount").asText()).isEqualTo("-7.25");
        assertThat(wallet(id).path("available").asText()).isEqualTo("12.75");
        assertThat(ledgerCents(id)).isEqualTo(1275);
        assertThat(open("cust-1", "USD")).as("the same customer and currency: the same wallet").isEqualTo(id);
        assertThat(open("cust-1", "EUR")).isNotEqualTo(id);
    }

    @Test
    void bad_amounts_and_missing_keys_are_refused_naming_the_field_and_write_nothing() {
        long id = open("cust-2", "USD");
        record Case(String key, String body, int status, String says) {
        }
        for (Case c : List.of(
                new Case(null, "{\"amount\": \"1.00\"}", 400, "Idempotency-Key"),
                new Case("b1", "{\"amount\": \"-1.00\"}", 422, "amount must be more than zero"),
                new Case("b2", "{\"amount\": \"0\"}", 422, "amount must be more than zero"),
                new Case("b3", "{\"amount\": \"1.005\"}", 422, "more decimals than USD"),
                new Case("b4", "{\"amount\": \"ten\"}", 422, "decimal number"),
                new Case("b5", "{}", 422, "amount is required"),
                new Case("b6", "{\"amount\": true}", 422, "amount is required"))) {
            Http.Response r = post("/v1/wallets/" + id + "/credit", c.key(), c.body());
            assertThat(r.status()).as(c.body()).isEqualTo(c.status());
            assertThat(r.json().path("message").asText()).as(c.body()).contains(c.says());
        }
        assertThat(post("/v1/wallets/999999/credit", "b7", "{\"amount\": \"1.00\"}").status()).isEqualTo(404);
        assertThat(http().api("POST", "/v1/wallets", "{\"customer_ref\": \"x\", \"currency\": \"usd1\"}", OPERATOR)
                .json().path("message").asText()).contains("ISO 4217");
        assertThat(wallet(id).path("balance").asText()).isEqualTo("0.00");
        assertThat(server.db().count("SELECT count(*) FROM wallet_entry")).isZero();
        assertThat(server.db().count("SELECT count(*) FROM idempotency_key")).isZero();
    }

    @Test
    void a_hundred_concurrent_debits_against_a_balance_that_covers_37_let_exactly_37_through() throws Exception {
        for (int run = 0; run < 5; run++) {
            long id = open("race-" + run, "USD");
            post("/v1/wallets/" + id + "/credit", "fund-" + run, "{\"amount\": \"37.00\"}");
            List<Integer> statuses = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> debits = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String key = "debit-" + run + "-" + i;
                    debits.add(pool.submit(() -> post("/v1/wallets/" + id + "/debit", key, "{\"amount\": \"1.00\"}").status()));
                }
                for (Future<Integer> f : debits) {
                    statuses.add(f.get());
                }
            }
            assertThat(statuses.stream().filter(s -> s == 200)).as("run " + run).hasSize(37);
            assertThat(statuses.stream().filter(s -> s == 409)).as("run " + run).hasSize(63);
            assertThat(wallet(id).path("balance").asText()).isEqualTo("0.00");
            assertThat(ledgerCents(id)).isZero();
        }
    }

    @Test
    void a_key_repeated_even_at_once_takes_effect_once_and_another_body_under_it_is_refused() {
        long id = open("cust-3", "USD");
        post("/v1/wallets/" + id + "/credit", "fund", "{\"amount\": \"10.00\"}");
        List<CompletableFuture<Http.Response>> racing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            racing.add(CompletableFuture.supplyAsync(() -> post("/v1/wallets/" + id + "/debit", "once", "{\"amount\": \"3.00\"}")));
        }
        List<String> bodies = racing.stream().map(CompletableFuture::join).map(Http.Response::body).distinct().toList();

        assertThat(bodies).hasSize(1);
        assertThat(wallet(id).path("balance").asText()).isEqualTo("7.00");
        Http.Response reused = post("/v1/wallets/" + id + "/debit", "once", "{\"amount\": \"4.00\"}");
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().path("error").asText()).isEqualTo("idempotency_key_reused");
        assertThat(post("/v1/wallets/" + id + "/credit", "once", "{\"amount\": \"3.00\"}").status())
                .as("the same key and body on another operation").isEqualTo(422);
    }

    @Test
    void a_hold_sets_money_aside_and_resolves_once_whatever_races() {
        long id = open("cust-4", "USD");
        post("/v1/wallets/" + id + "/credit", "fund", "{\"amount\": \"50.00\"}");
        JsonNode hold = post("/v1/wallets/" + id + "/holds", "h1", "{\"amount\": \"30.00\", \"expires_in_seconds\": 600}")
                .json();
        assertThat(hold.path("wallet").path("available").asText()).isEqualTo("20.00");
        assertThat(post("/v1/wallets/" + id + "/debit", "d-over", "{\"amount\": \"25.00\"}").status())
                .as("held money is not available").isEqualTo(409);
        long holdId = hold.path("id").asLong();

        List<CompletableFuture<Http.Response>> racing = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String key = "r-" + i;
            racing.add(CompletableFuture.supplyAsync(() -> i(key) % 2 == 0
                    ? post("/v1/holds/" + holdId + "/capture", key, "{\"amount\": \"12.00\"}")
                    : post("/v1/holds/" + holdId + "/void", key, "")));
        }
        List<Integer> statuses = racing.stream().map(CompletableFuture::join).map(Http.Response::status).toList();

        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
        assertThat(statuses.stream().filter(s -> s == 409)).hasSize(5);
        JsonNode after = wallet(id);
        assertThat(after.path("held").asText()).isEqualTo("0.00");
        long balance = cents(after.path("balance"));
        assertThat(balance).isIn(5000L, 3800L); // voided, or 12.00 captured and the rest released
        assertThat(ledgerCents(id)).isEqualTo(balance);
    }

    @Test
    void holds_take_a_key_without_needing_one_and_an_amount_in_another_currency_is_refused() {
        long id = open("cust-8", "USD");
        post("/v1/wallets/" + id + "/credit", "fund", "{\"amount\": \"9.00\"}");

        Http.Response hold = post("/v1/wallets/" + id + "/holds", null, "{\"amount\": \"4.00\", \"expires_in_seconds\": 600}");
        assertThat(hold.status()).as(hold.body()).isEqualTo(201);
        Http.Response captured = post("/v1/holds/" + hold.json().path("id").asLong() + "/capture", null, "");
        assertThat(captured.status()).as(captured.body()).isEqualTo(200);
        assertThat(captured.json().path("captured").asText()).isEqualTo("4.00");

        Http.Response euros = post("/v1/wallets/" + id + "/debit", "eur", "{\"amount\": \"1.00\", \"currency\": \"EUR\"}");
        assertThat(euros.status()).isEqualTo(422);
        assertThat(euros.json().path("message").asText()).startsWith("currency must be the wallet's, USD");
        assertThat(post("/v1/wallets/" + id + "/debit", "usd", "{\"amount\": \"1.00\", \"currency\": \"usd\"}")
                .status()).isEqualTo(200);
        assertThat(wallet(id).path("balance").asText()).isEqualTo("4.00");
        assertThat(ledgerCents(id)).isEqualTo(400);
    }

    @Test
    void an_expired_hold_releases_itself_once_and_can_no_longer_be_captured() {
        long id = open("cust-5", "USD");
        post("/v1/wallets/" + id + "/credit", "fund", "{\"amount\": \"10.00\"}");
        long holdId = post("/v1/wallets/" + id + "/holds", "h-short", "{\"amount\": \"4.00\", \"expires_in_seconds\": 1}")
                .json().path("id").asLong();

        await().atMost(Duration.ofSeconds(15)).until(() -> wallet(id).path("held").asText().equals("0.00"));
        Http.Response late = post("/v1/holds/" + holdId + "/capture", "late", "");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("message").asText()).contains("expired");
        assertThat(wallet(id).path("balance").asText()).isEqualTo("10.00");
        assertThat(server.db().rows("SELECT status FROM wallet_hold WHERE id = ?", holdId))
                .containsExactly(Map.of("status", "expired"));
    }

    @Test
    void the_database_refuses_an_overdraft_and_a_changed_ledger_even_from_the_application_role() {
        long id = open("cust-6", "USD");
        post("/v1/wallets/" + id + "/credit", "fund", "{\"amount\": \"1.00\"}");
        var app = server.node().database().jdbi();
        assertThatThrownBy(() -> app.useTransaction(h -> {
            BusinessScope.actForAll(h);
            h.execute("UPDATE wallet SET balance = -1 WHERE id = " + id);
        }))
                .hasMessageContaining("wallet_balance_not_negative");
        assertThatThrownBy(() -> app.useTransaction(h -> {
            BusinessScope.actForAll(h);
            h.execute("UPDATE wallet SET held = 200 WHERE id = " + id);
        }))
                .hasMessageContaining("wallet_held_within_balance");
        assertThatThrownBy(() -> app.useTransaction(h -> {
            BusinessScope.actForAll(h);
            h.execute("UPDATE wallet_entry SET amount = 500");
        }))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> app.useTransaction(h -> {
            BusinessScope.actForAll(h);
            h.execute("DELETE FROM wallet_entry");
        }))
                .hasMessageContaining("permission denied");
    }

    @Test
    void the_ledger_check_command_passes_sound_books_and_names_a_wallet_whose_balance_is_not_its_ledger(
            @TempDir Path dataDir) {
        long id = open("cust-7", "USD");
        post("/v1/wallets/" + id + "/credit", "fund", "{\"amount\": \"5.00\"}");
        post("/v1/wallets/" + id + "/holds", "h", "{\"amount\": \"2.00\", \"expires_in_seconds\": 600}");
        DatabaseUrl db = server.db().database().url();
        String url = db.user() == null ? db.jdbcUrl()
                : db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user() + "&password=" + db.password();
        String[] check = {"ledger", "check", "--database-url", url, "--data-dir", dataDir.toString()};

        assertThat(new CommandLine(new Steadfast()).execute(check)).isZero();
        assertThat(LedgerCheck.run(server.node().database().jdbi())).isEmpty();

        server.db().execute("UPDATE wallet SET balance = balance + 1 WHERE id = " + id); // behind the ledger's back
        assertThat(new CommandLine(new Steadfast()).execute(check)).isEqualTo(1);
        assertThat(LedgerCheck.run(server.node().database().jdbi())).singleElement()
                .satisfies(m -> assertThat(m.walletId()).isEqualTo(id))
                .satisfies(m -> assertThat(m.balance() - m.ledger()).isEqualTo(1));
    }

    private static int i(String key) {
        return Integer.parseInt(key.substring(key.indexOf('-') + 1));
    }
}
