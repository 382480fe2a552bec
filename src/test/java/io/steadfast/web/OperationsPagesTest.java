package io.steadfast.web;

import static io.steadfast.web.DashboardFixture.ADMIN;
import static io.steadfast.web.DashboardFixture.OPERATOR;
import static io.steadfast.web.DashboardFixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/** The dashboard in a real browser: orders, the store, health, and what each role and business sees. */
class OperationsPagesTest {
    @RegisterExtension
    static final DashboardFixture dashboard = new DashboardFixture();
    final Browser browser = dashboard.browser;
    final ShopActivity shop = dashboard.shop;

    @Test
    void the_operator_sees_the_latest_chaos_report_and_opens_it() throws IOException {
        Path run = Files.createDirectories(dashboard.reports.resolve("chaos-reports/20261201-090000"));
        Files.writeString(run.resolve("report.json"), "{\"verdict\": \"pass\", \"command\": \"./steadfast chaos --seed 1201\"}");
        Files.writeString(run.resolve("report.html"), "<h1>Chaos report 1201</h1><script>parent.hacked = 1</script>");
        dashboard.signInAsOperator();
        dashboard.go("#/health");
        WebElement row = browser.text(".page-health table", "./steadfast chaos --seed 1201");
        assertThat(row.getText()).contains("pass");
        browser.script("document.querySelector('#reports-title').scrollIntoView()");
        browser.screenshot("health-reports");
        browser.find(".page-health button[data-report]").click();
        WebElement frame = browser.find("dialog.report iframe");
        browser.driver().switchTo().frame(frame);
        browser.text("h1", "Chaos report 1201");
        browser.driver().switchTo().defaultContent();
        assertThat(browser.script("return window.hacked === undefined")).as("the report's scripts do not run").isEqualTo(true);
    }

    @Test
    void a_shopify_update_changes_the_order_on_screen_and_its_audit_trail_tells_why() {
        shop.shopify("orders/create", ShopActivity.order(7001, 1, "pending"), "w-1");
        Inbox.awaitDrained(dashboard.server.db());
        dashboard.signIn(ADMIN, PASSWORD);
        dashboard.go("#/orders/shopify/7001");
        browser.text(".detail [data-field=status]", "pending");
        dashboard.markPage();

        shop.shopify("orders/paid", ShopActivity.order(7001, 2, "paid"), "w-2");
        browser.text(".detail [data-field=status]", "paid");
        browser.text("tr[data-key=shopify-7001] [data-field=status]", "paid");
        shop.shopify("orders/updated", ShopActivity.order(7001, 1, "pending"), "w-3"); // older than what we hold: discarded
        browser.text(".detail table", "discarded");
        browser.screenshot("orders");
        assertThat(browser.find(".detail [data-field=status]").getText()).contains("paid");
        assertThat(dashboard.pageNotReloaded()).isTrue();
    }

    @Test
    void a_disable_shows_its_impact_first_and_changes_nothing_until_confirmed() {
        long mug = shop.product("MUG-1", 10);
        assertThat(dashboard.api("POST", "/v1/store/carts", "{\"items\": [{\"product_id\": " + mug + ", \"quantity\": 2}]}",
                OPERATOR).status()).isEqualTo(201);
        dashboard.signIn(ADMIN, PASSWORD);
        dashboard.go("#/store");
        browser.find("button[data-action=disable]").click();

        browser.find("dialog[open]");
        assertThat(browser.find("dialog [data-impact=carts]").getText()).isEqualTo("1");
        assertThat(browser.find("dialog [data-impact=active_reservations]").getText()).isEqualTo("2");
        assertThat(browser.find("dialog [data-impact=open_orders]").getText()).isEqualTo("0");
        browser.screenshot("store-disable-preview");
        browser.find("dialog button[value=cancel]").click();
        browser.text("#toast", "Nothing changed");
        assertThat(dashboard.api("GET", "/v1/store/products/" + mug, null, OPERATOR).json().path("status").asText()).isEqualTo("active");
        assertThat(dashboard.server.db().count("SELECT count(*) FROM admin_audit WHERE action = 'disable'")).isZero();

        browser.find("button[data-action=disable]").click();
        browser.find("dialog button[value=confirm]").click();
        browser.text("tr[data-key=product-" + mug + "] [data-field=status]", "disabled");
        assertThat(dashboard.api("GET", "/v1/store/products/" + mug, null, OPERATOR).json().path("status").asText()).isEqualTo("disabled");
    }

    @Test
    void a_dead_letter_is_replayed_from_the_health_page() {
        shop.deadLetter(7002, "w-dead");
        JsonNode dead = dashboard.api("GET", "/v1/inbox/dead", null, OPERATOR).json().path("items");
        assertThat(dead).hasSize(1);

        dashboard.signIn(ADMIN, PASSWORD);
        dashboard.go("#/health");
        browser.text("[data-stat=dead] .value", "1");
        WebElement row = browser.text("tr[data-key=dead-" + dead.get(0).path("id").asLong() + "]", "gave up after");
        browser.screenshot("health");
        browser.script("document.querySelector('#workers-title').scrollIntoView()");
        browser.screenshot("health-dead-letters");
        row.findElement(org.openqa.selenium.By.cssSelector("button[data-replay]")).click();
        browser.text("#toast", "pending again");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                dashboard.api("GET", "/v1/orders/7002", null, OPERATOR).json().path("financial_status").asText().equals("paid"));
        assertThat(dashboard.api("GET", "/v1/inbox/dead", null, OPERATOR).json().path("items")).isEmpty();
        browser.text("[data-stat=dead] .value", "0");
    }

    @Test
    void another_business_user_sees_none_of_it() {
        shop.customerWrites("15550007005", "Elena", "A private question");
        shop.shopify("orders/create", ShopActivity.order(7003, 1, "pending"), "w-private");
        shop.product("MUG-PRIVATE", 5);
        Inbox.awaitDrained(dashboard.server.db());
        String otherKey = dashboard.api("POST", "/v1/businesses", "{\"name\": \"Other shop\"}", OPERATOR).json().path("api_key").asText();
        assertThat(dashboard.api("POST", "/v1/users", "{\"email\": \"agent@other.test\", \"password\": \"" + PASSWORD
                + "\", \"role\": \"agent\"}", otherKey).status()).isEqualTo(201);

        dashboard.signIn("agent@other.test", PASSWORD);
        assertThat(browser.find("#who").getText()).contains("Other shop").contains("agent");
        browser.text(".conversations", "No conversations yet");
        shop.customerWrites("15550007005", "Elena", "Another private one"); // arrives live for the default business only
        dashboard.go("#/orders/shopify");
        browser.text(".page-orders", "No Shopify orders yet");
        dashboard.go("#/orders/store");
        browser.text(".page-orders", "No store orders yet");
        dashboard.go("#/store");
        browser.text(".page-store", "No products yet");
        dashboard.go("#/health");
        browser.text(".page-health", "No dead letters");
        dashboard.go("#/inbox");
        browser.text(".conversations", "No conversations yet");
        dashboard.go("#/inbox/" + shop.conversationOf("15550007005"));
        browser.text(".thread", "No conversation");
        for (String page : List.of("#/inbox", "#/orders", "#/store")) {
            dashboard.go(page);
            browser.find("h1");
            assertThat(browser.find("main").getText()).doesNotContain("Elena", "private", "7003", "MUG-PRIVATE");
        }
    }

    @Test
    void a_store_order_changes_on_screen_and_a_wallet_shows_its_ledger() {
        long mug = shop.product("MUG-ORDER", 5);
        long wallet = dashboard.api("POST", "/v1/wallets", "{\"customer_ref\": \"cust-9\", \"currency\": \"USD\"}", OPERATOR)
                .json().path("id").asLong();
        assertThat(dashboard.http().post("/v1/wallets/" + wallet + "/credit", "application/json",
                "{\"amount\": \"40.00\", \"reason\": \"top-up\"}".getBytes(), "Authorization", "Bearer " + OPERATOR,
                "Idempotency-Key", "credit-1").status()).isEqualTo(200);
        Http.Response placed = dashboard.http().post("/v1/store/orders", "application/json", ("{\"items\": [{\"product_id\": "
                + mug + ", \"quantity\": 2}], \"wallet_id\": " + wallet + "}").getBytes(), "Authorization",
                "Bearer " + OPERATOR, "Idempotency-Key", "order-1");
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        long order = placed.json().path("id").asLong();

        dashboard.signIn(ADMIN, PASSWORD);
        dashboard.go("#/orders/store/" + order);
        browser.text(".detail [data-field=status]", "paid");
        dashboard.markPage();
        assertThat(dashboard.api("POST", "/v1/store/orders/" + order + "/ship", null, OPERATOR).status()).isEqualTo(200);
        browser.text(".detail [data-field=status]", "shipped");
        browser.text("tr[data-key=store-" + order + "] [data-field=status]", "shipped");
        assertThat(dashboard.pageNotReloaded()).isTrue();

        dashboard.go("#/store/wallets/" + wallet);
        WebElement ledger = browser.text(".detail table", "top-up");
        assertThat(ledger.getText()).contains("40.00").contains("-30.00").contains("credit"); // two mugs and the fallback shipping rate
        assertThat(browser.find(".detail").getText()).contains("Balance 10.00 USD");
    }

    @Test
    void an_agent_reads_and_replies_but_is_offered_no_admin_action() {
        shop.product("MUG-AGENT", 4);
        shop.deadLetter(7004, "w-agent");
        shop.customerWrites("15550007009", "Ines", "Hi from an agent's queue");
        long conversation = shop.conversationOf("15550007009");
        assertThat(dashboard.api("POST", "/v1/users", "{\"email\": \"agent@shop.test\", \"password\": \"" + PASSWORD
                + "\", \"role\": \"agent\"}", OPERATOR).status()).isEqualTo(201);

        dashboard.signIn("agent@shop.test", PASSWORD);
        dashboard.go("#/store");
        browser.text(".page-store table", "MUG-AGENT");
        assertThat(browser.present("button[data-action]")).isFalse();
        dashboard.go("#/health");
        browser.text(".page-health table", "gave up after");
        assertThat(browser.present("button[data-replay]")).isFalse();
        dashboard.go("#/inbox/" + conversation);
        browser.text(".messages", "Hi from an agent's queue");
        browser.find("#reply").sendKeys("An agent may answer.");
        browser.find(".reply button").click();
        browser.text(".messages .msg.outbound", "An agent may answer.");
        await().atMost(Duration.ofSeconds(10)).until(() -> shop.callsWithText("An agent may answer.") == 1);
    }
}
