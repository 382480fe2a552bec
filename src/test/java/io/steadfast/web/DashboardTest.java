package io.steadfast.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.config.Config;
import io.steadfast.shopify.Shopify;
import io.steadfast.simulator.ShopifyPayloads;
import io.steadfast.simulator.ShopifyPayloads.OrderVersion;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.simulator.WhatsAppPayloads.Status;
import io.steadfast.support.Http;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** The dashboard in a real browser: what an agent, an admin and the operator see and do, live. */
class DashboardTest {
    static final WhatsAppCloudSimulator whatsapp = new WhatsAppCloudSimulator();
    static final String PHONE = "106000000001";
    static final String SHOP = "dashboard-test.myshopify.com";
    static final String ADMIN = "admin@shop.test";
    static final String PASSWORD = "correct horse battery staple";
    static final String OPERATOR = TestNodes.API_TOKEN;
    static final AtomicInteger ids = new AtomicInteger();

    static final java.nio.file.Path REPORTS = io.steadfast.support.TestPostgres.tempDir("steadfast-dashboard-reports");

    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(
            Config.WHATSAPP_API_URL, whatsapp.baseUrl().toString(),
            Config.WHATSAPP_ACCESS_TOKEN, WhatsAppCloudSimulator.TOKEN,
            Config.PROVIDER_TIMEOUT_MS, "1000",
            Config.REPORTS_DIR, REPORTS.toString()));
    static Browser browser;
    final WhatsAppPayloads payloads = new WhatsAppPayloads(PHONE, "+1 555 0100");

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        whatsapp.close();
    }

    @BeforeEach
    void aBusinessWithAnAdmin() {
        whatsapp.forget();
        browser.resize(1280, 900);
        assertThat(api("POST", "/v1/channels", "{\"phone_number_id\": \"" + PHONE + "\"}", OPERATOR).status()).isIn(200, 201);
        assertThat(api("POST", "/v1/channels", "{\"shop_domain\": \"" + SHOP + "\"}", OPERATOR).status()).isIn(200, 201);
        assertThat(api("POST", "/v1/users", "{\"email\": \"" + ADMIN + "\", \"password\": \"" + PASSWORD
                + "\", \"role\": \"admin\"}", OPERATOR).status()).isEqualTo(201);
    }

    Http http() {
        return server.http();
    }

    Http.Response api(String method, String path, String json, String credential) {
        return http().api(method, path, json, credential);
    }

    String url(String hash) {
        return "http://127.0.0.1:" + server.node().port() + "/" + hash;
    }

    /** Signs in through the form and waits for the live feed. */
    void signIn(String email, String password) {
        browser.openSignedOut(url("#/signin"));
        browser.find("#email").sendKeys(email);
        browser.find("#password").sendKeys(password);
        browser.find(".signin button[type=submit]").click();
        browser.text("#live", "Live");
    }

    void go(String hash) {
        browser.script("location.hash = arguments[0]", hash);
    }

    /** A marker that a reload would wipe: the page must still hold it after the live updates. */
    void markPage() {
        browser.script("window.notReloaded = true");
    }

    boolean pageNotReloaded() {
        return Boolean.TRUE.equals(browser.script("return window.notReloaded === true"));
    }

    String customerWrites(String waId, String name, String text) {
        String wamid = "wamid.dash-" + ids.incrementAndGet();
        assertThat(http().postWebhook(payloads.messages(List.of(new Message(wamid, waId, name,
                Instant.now().getEpochSecond(), text)))).status()).isEqualTo(200);
        return wamid;
    }

    long conversationOf(String waId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> conversationId(waId) > 0);
        return conversationId(waId);
    }

    private long conversationId(String waId) {
        for (JsonNode c : api("GET", "/v1/conversations?limit=500", null, OPERATOR).json().path("items")) {
            if (c.at("/customer/wa_id").asText().equals(waId)) {
                return c.path("id").asLong();
            }
        }
        return 0;
    }

    long callsWithText(String text) {
        return whatsapp.calls().stream().filter(c -> text.equals(c.text())).count();
    }

    @Test
    void a_user_signs_in_with_email_and_password_and_signs_out() {
        browser.openSignedOut(url(""));
        browser.find("#email").sendKeys(ADMIN);
        browser.find("#password").sendKeys("wrong password");
        browser.find(".signin button[type=submit]").click();
        browser.text(".signin [role=alert]", "The email or the password is wrong.");
        browser.screenshot("sign-in");

        signIn(ADMIN, PASSWORD);
        assertThat(browser.find("#who").getText()).contains(ADMIN).contains("default").contains("admin");
        assertThat(browser.find("h1").getText()).isEqualTo("Inbox");

        browser.find("#sign-out").click();
        browser.find("#email");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        go("#/orders");
        browser.find("#email"); // still the sign-in form: nothing is shown without a credential
        assertThat(browser.present("header.top:not([hidden])")).isFalse();
    }

    @Test
    void the_operator_signs_in_with_the_api_token() {
        browser.openSignedOut(url("#/signin"));
        browser.find(".signin summary").click();
        browser.find("#api-token").sendKeys(OPERATOR);
        browser.all(".signin form").get(1).submit();
        browser.text("#live", "Live");
        assertThat(browser.find("#who").getText()).contains("Operator").contains("default");
    }

    @Test
    void the_operator_sees_the_latest_chaos_report_and_opens_it() throws java.io.IOException {
        java.nio.file.Path run = java.nio.file.Files.createDirectories(REPORTS.resolve("chaos-reports/20261201-090000"));
        java.nio.file.Files.writeString(run.resolve("report.json"),
                "{\"verdict\": \"pass\", \"command\": \"./steadfast chaos --seed 1201\"}");
        java.nio.file.Files.writeString(run.resolve("report.html"), "<h1>Chaos report 1201</h1><script>parent.hacked = 1</script>");
        browser.openSignedOut(url("#/signin"));
        browser.find(".signin summary").click();
        browser.find("#api-token").sendKeys(OPERATOR);
        browser.all(".signin form").get(1).submit();
        browser.text("#live", "Live");
        go("#/health");
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
    void a_message_arriving_while_the_inbox_is_open_appears_without_a_reload() {
        signIn(ADMIN, PASSWORD);
        browser.find(".conversations");
        markPage();

        customerWrites("15550007001", "Ana Souza", "Is my order on its way?");

        WebElement item = browser.text(".conversations li", "Ana Souza");
        assertThat(item.getText()).contains("Is my order on its way?");
        assertThat(browser.text(".conversations .badge", "1").getAttribute("data-unread")).isEqualTo("1");
        browser.text("[data-count=unread]", "1 unread");
        assertThat(pageNotReloaded()).isTrue();

        item.findElement(org.openqa.selenium.By.tagName("a")).click();
        browser.text(".messages .msg.inbound", "Is my order on its way?");
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.present(".conversations .badge"));
        browser.text("[data-count=unread]", "0 unread");

        customerWrites("15550007001", "Ana Souza", "Hello? Anyone there?");
        browser.text(".messages .msg.inbound", "Hello? Anyone there?");
        assertThat(browser.all(".messages .msg").stream().map(WebElement::getText).map(t -> t.split("\n")[0]).toList())
                .containsExactly("Is my order on its way?", "Hello? Anyone there?");
        assertThat(pageNotReloaded()).isTrue();
    }

    @Test
    void a_reply_double_clicked_is_sent_once() {
        customerWrites("15550007002", "Bruno", "Can I change the address?");
        long conversation = conversationOf("15550007002");
        signIn(ADMIN, PASSWORD);
        go("#/inbox/" + conversation);
        browser.text(".messages", "Can I change the address?");

        browser.find("#reply").sendKeys("Yes, send me the new one.");
        new Actions(browser.driver()).doubleClick(browser.find(".reply button")).perform();

        browser.text(".messages .msg.outbound", "Yes, send me the new one.");
        await().atMost(Duration.ofSeconds(10)).until(() -> callsWithText("Yes, send me the new one.") >= 1);
        browser.until(d -> browser.present(".msg.outbound[data-status=sent]") ? true : null, "the reply to be sent");
        browser.screenshot("inbox-conversation");
        assertThat(callsWithText("Yes, send me the new one.")).isEqualTo(1);
        assertThat(server.db().count("SELECT count(*) FROM outbound_message")).isEqualTo(1);
        assertThat(browser.all(".msg.outbound")).hasSize(1);
        assertThat(browser.find("#reply").getAttribute("value")).isEmpty();

        // the same form sent twice more, as a flaky network's retries would: still one message
        browser.find("#reply").sendKeys("Anything else?");
        browser.script("const f = document.querySelector('form.reply'); f.requestSubmit(); f.requestSubmit();");
        browser.text(".messages .msg.outbound", "Anything else?");
        await().atMost(Duration.ofSeconds(10)).until(() -> callsWithText("Anything else?") >= 1);
        assertThat(server.db().count("SELECT count(*) FROM outbound_message")).isEqualTo(2);
    }

    @Test
    void status_webhooks_turn_the_ticks_failures_show_their_reason_and_unknown_sends_are_flagged() {
        customerWrites("15550007003", "Carla", "Did you ship it?");
        customerWrites("15550007004", "Dario", "Where is it?");
        whatsapp.invalid("+15550007004");
        whatsapp.invalid("15550007004");
        long carla = conversationOf("15550007003");
        long dario = conversationOf("15550007004");
        signIn(ADMIN, PASSWORD);
        go("#/inbox/" + carla);
        markPage();
        browser.find("#reply").sendKeys("Shipped this morning.");
        browser.find(".reply button").click();
        browser.until(d -> browser.present(".msg.outbound[data-status=sent]") ? true : null, "the tick to show sent");
        assertThat(browser.find(".msg.outbound .tick").getText()).isEqualTo("✓");

        WhatsAppCloudSimulator.Call call = whatsapp.calls().getFirst();
        long now = Instant.now().getEpochSecond();
        assertThat(http().postWebhook(payloads.statusOfSent(new Status(call.wamid(), "delivered", "15550007003", now),
                call.callbackData())).status()).isEqualTo(200);
        browser.until(d -> browser.present(".msg.outbound[data-status=delivered]") ? true : null, "the tick to turn delivered");
        assertThat(browser.find(".msg.outbound .tick").getText()).isEqualTo("✓✓");
        assertThat(http().postWebhook(payloads.statusOfSent(new Status(call.wamid(), "read", "15550007003", now + 1),
                call.callbackData())).status()).isEqualTo(200);
        browser.until(d -> browser.present(".msg.outbound .tick[data-status=read]") ? true : null, "the tick to turn read");
        assertThat(pageNotReloaded()).isTrue();

        go("#/inbox/" + dario);
        browser.text(".messages", "Where is it?");
        browser.find("#reply").sendKeys("Let me check.");
        browser.find(".reply button").click();
        WebElement failed = browser.until(d -> browser.all(".msg.outbound[data-status=failed]").stream().findFirst()
                .orElse(null), "the reply to fail");
        assertThat(failed.getText()).contains("Failed:");
        assertThat(failed.findElement(org.openqa.selenium.By.cssSelector(".tick")).getAttribute("aria-label")).isEqualTo("Failed");
        browser.text("[data-count=failed]", "1 failed");

        customerWrites("15550007008", "Hana", "Still there?");
        whatsapp.swallow("+15550007008"); // takes the send and never answers: it may or may not have gone out
        whatsapp.swallow("15550007008");
        go("#/inbox/" + conversationOf("15550007008"));
        browser.text(".messages", "Still there?");
        browser.find("#reply").sendKeys("Yes!");
        browser.find(".reply button").click();
        WebElement unknown = browser.until(d -> browser.all(".msg.outbound[data-status=unknown]").stream().findFirst()
                .orElse(null), "the reply to be flagged unknown");
        assertThat(unknown.findElement(org.openqa.selenium.By.cssSelector(".tick")).getText()).isEqualTo("?");
        assertThat(unknown.getText()).contains("Unknown: the provider never confirmed this send");
        assertThat(callsWithText("Yes!")).as("never sent blindly again").isEqualTo(1);
    }

    @Test
    void a_shopify_update_changes_the_order_on_screen_and_its_audit_trail_tells_why() {
        shopify("orders/create", order(7001, 1, "pending"), "w-1");
        Inbox.awaitDrained(server.db());
        signIn(ADMIN, PASSWORD);
        go("#/orders/shopify/7001");
        browser.text(".detail [data-field=status]", "pending");
        markPage();

        shopify("orders/paid", order(7001, 2, "paid"), "w-2");
        browser.text(".detail [data-field=status]", "paid");
        browser.text("tr[data-key=shopify-7001] [data-field=status]", "paid");
        shopify("orders/updated", order(7001, 1, "pending"), "w-3"); // older than what we hold: discarded
        browser.text(".detail table", "discarded");
        browser.screenshot("orders");
        assertThat(browser.find(".detail [data-field=status]").getText()).contains("paid");
        assertThat(pageNotReloaded()).isTrue();
    }

    static OrderVersion order(long id, int minute, String financialStatus) {
        Instant created = Instant.parse("2026-11-30T09:00:00Z");
        return new OrderVersion(id, created, created.plusSeconds(60L * minute), financialStatus, null, null,
                minute + "0.00", 1);
    }

    void shopify(String topic, OrderVersion v, String webhookId) {
        assertThat(http().postShopify(ShopifyPayloads.order(v), Shopify.TOPIC_HEADER, topic, Shopify.SHOP_HEADER, SHOP,
                Shopify.WEBHOOK_ID_HEADER, webhookId, Shopify.EVENT_ID_HEADER, "e-" + webhookId,
                Shopify.TRIGGERED_AT_HEADER, v.updatedAt().toString(), Shopify.API_VERSION_HEADER, "2026-01").status())
                .isEqualTo(200);
    }

    long product(String sku, int stock) {
        long id = api("POST", "/v1/store/products", "{\"sku\": \"" + sku + "\", \"name\": \"Mug " + sku
                + "\", \"price\": \"12.50\", \"currency\": \"USD\", \"stock\": " + stock + "}", OPERATOR).json()
                .path("id").asLong();
        assertThat(api("POST", "/v1/store/products/" + id + "/activate", null, OPERATOR).status()).isEqualTo(200);
        return id;
    }

    @Test
    void a_disable_shows_its_impact_first_and_changes_nothing_until_confirmed() {
        long mug = product("MUG-1", 10);
        assertThat(api("POST", "/v1/store/carts", "{\"items\": [{\"product_id\": " + mug + ", \"quantity\": 2}]}",
                OPERATOR).status()).isEqualTo(201);
        signIn(ADMIN, PASSWORD);
        go("#/store");
        browser.find("button[data-action=disable]").click();

        browser.find("dialog[open]");
        assertThat(browser.find("dialog [data-impact=carts]").getText()).isEqualTo("1");
        assertThat(browser.find("dialog [data-impact=active_reservations]").getText()).isEqualTo("2");
        assertThat(browser.find("dialog [data-impact=open_orders]").getText()).isEqualTo("0");
        browser.screenshot("store-disable-preview");
        browser.find("dialog button[value=cancel]").click();
        browser.text("#toast", "Nothing changed");
        assertThat(api("GET", "/v1/store/products/" + mug, null, OPERATOR).json().path("status").asText()).isEqualTo("active");
        assertThat(server.db().count("SELECT count(*) FROM admin_audit WHERE action = 'disable'")).isZero();

        browser.find("button[data-action=disable]").click();
        browser.find("dialog button[value=confirm]").click();
        browser.text("tr[data-key=product-" + mug + "] [data-field=status]", "disabled");
        assertThat(api("GET", "/v1/store/products/" + mug, null, OPERATOR).json().path("status").asText()).isEqualTo("disabled");
    }

    @Test
    void a_dead_letter_is_replayed_from_the_health_page() {
        shopify("orders/create", order(7002, 1, "pending"), "w-dead-1");
        Inbox.awaitDrained(server.db());
        server.node().workers().orElseThrow().pause();
        shopify("orders/paid", order(7002, 2, "paid"), "w-dead-2");
        // as if every worker that took it had died mid-event: the next claim is one attempt too many
        server.db().execute("UPDATE inbox_event SET attempts = " + server.node().config().maxAttempts()
                + " WHERE dedup_key = 'w-dead-2'");
        server.node().workers().orElseThrow().resume();
        Inbox.awaitDrained(server.db());
        JsonNode dead = api("GET", "/v1/inbox/dead", null, OPERATOR).json().path("items");
        assertThat(dead).hasSize(1);

        signIn(ADMIN, PASSWORD);
        go("#/health");
        browser.text("[data-stat=dead] .value", "1");
        WebElement row = browser.text("tr[data-key=dead-" + dead.get(0).path("id").asLong() + "]", "gave up after");
        browser.screenshot("health");
        browser.script("document.querySelector('#workers-title').scrollIntoView()");
        browser.screenshot("health-dead-letters");
        row.findElement(org.openqa.selenium.By.cssSelector("button[data-replay]")).click();
        browser.text("#toast", "pending again");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                api("GET", "/v1/orders/7002", null, OPERATOR).json().path("financial_status").asText().equals("paid"));
        assertThat(api("GET", "/v1/inbox/dead", null, OPERATOR).json().path("items")).isEmpty();
        browser.text("[data-stat=dead] .value", "0");
    }

    @Test
    void another_business_user_sees_none_of_it() {
        customerWrites("15550007005", "Elena", "A private question");
        shopify("orders/create", order(7003, 1, "pending"), "w-private");
        product("MUG-PRIVATE", 5);
        Inbox.awaitDrained(server.db());
        String otherKey = api("POST", "/v1/businesses", "{\"name\": \"Other shop\"}", OPERATOR).json().path("api_key").asText();
        assertThat(api("POST", "/v1/users", "{\"email\": \"agent@other.test\", \"password\": \"" + PASSWORD
                + "\", \"role\": \"agent\"}", otherKey).status()).isEqualTo(201);

        signIn("agent@other.test", PASSWORD);
        assertThat(browser.find("#who").getText()).contains("Other shop").contains("agent");
        browser.text(".conversations", "No conversations yet");
        customerWrites("15550007005", "Elena", "Another private one"); // arrives live for the default business only
        go("#/orders/shopify");
        browser.text(".page-orders", "No Shopify orders yet");
        go("#/orders/store");
        browser.text(".page-orders", "No store orders yet");
        go("#/store");
        browser.text(".page-store", "No products yet");
        go("#/health");
        browser.text(".page-health", "No dead letters");
        go("#/inbox");
        browser.text(".conversations", "No conversations yet");
        go("#/inbox/" + conversationOf("15550007005"));
        browser.text(".thread", "No conversation");
        for (String page : List.of("#/inbox", "#/orders", "#/store")) {
            go(page);
            browser.find("h1");
            assertThat(browser.find("main").getText()).doesNotContain("Elena", "private", "7003", "MUG-PRIVATE");
        }
    }

    /**
     * Every element showing text whose colour against its background (the first opaque one behind it) is under 4.5:1,
     * WCAG AA for normal text; disabled controls are exempt, as WCAG has them.
     */
    static final String LOW_CONTRAST = """
            const rgb = c => c.match(/[\\d.]+/g).map(Number);
            const lum = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92
              : ((v + 0.055) / 1.055) ** 2.4).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
            const background = el => {
              for (let e = el; e; e = e.parentElement) {
                const c = rgb(getComputedStyle(e).backgroundColor);
                if (c.length < 4 || c[3] === 1) return c.slice(0, 3);
              }
              return [255, 255, 255];
            };
            const low = [];
            let checked = 0;
            for (const el of document.querySelectorAll('body *')) {
              const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
              if (!text || !el.checkVisibility() || el.closest(':disabled, .visually-hidden')) continue;
              checked++;
              const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
              const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
              if (ratio < 4.5) low.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
            }
            return {checked, low};""";

    /** Every control on each page has a name a screen reader reads, and a reply can be sent from the keyboard alone. */
    @Test
    void every_control_is_named_text_has_contrast_and_a_reply_goes_out_from_the_keyboard() {
        customerWrites("15550007007", "Gustavo", "Keyboard only, please");
        long conversation = conversationOf("15550007007");
        product("MUG-KEYS", 3);
        signIn(ADMIN, PASSWORD);
        for (String page : List.of("#/inbox/" + conversation, "#/orders/shopify", "#/orders/store", "#/store", "#/health")) {
            go(page);
            browser.find("h1");
            browser.until(d -> browser.present(".page table, .page .conversations li, .page .muted") ? true : null,
                    page + " to render");
            assertThat(browser.script("""
                    const unnamed = [];
                    for (const el of document.querySelectorAll('main input, main textarea, main select, main button, main a')) {
                      const name = el.getAttribute('aria-label') || (el.labels && el.labels.length && el.labels[0].textContent)
                        || el.textContent.trim() || el.getAttribute('title');
                      if (!name) unnamed.push(el.outerHTML.slice(0, 80));
                    }
                    return unnamed;""")).as(page).isEqualTo(List.of());
            assertThat(browser.find("main").getText()).as(page + ": no value left unformatted")
                    .doesNotContainPattern("\\b(null|undefined|NaN)\\b|\\[object ");
            Map<?, ?> contrast = (Map<?, ?>) browser.script(LOW_CONTRAST);
            assertThat((Long) contrast.get("checked")).as(page + ": texts checked").isGreaterThan(5);
            assertThat(contrast.get("low")).as(page + ": text below WCAG AA contrast (4.5:1)").isEqualTo(List.of());
        }
        go("#/inbox/" + conversation);
        browser.text(".messages", "Keyboard only, please");
        WebElement reply = browser.find("#reply");
        reply.click();
        reply.sendKeys("Typed and sent without a mouse");
        reply.sendKeys(org.openqa.selenium.Keys.TAB); // to the Send button
        assertThat(browser.script("return document.activeElement.textContent")).isEqualTo("Send");
        browser.driver().switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
        browser.text(".messages .msg.outbound", "Typed and sent without a mouse");
        await().atMost(Duration.ofSeconds(10)).until(() -> callsWithText("Typed and sent without a mouse") == 1);
    }

    @Test
    void a_store_order_changes_on_screen_and_a_wallet_shows_its_ledger() {
        long mug = product("MUG-ORDER", 5);
        long wallet = api("POST", "/v1/wallets", "{\"customer_ref\": \"cust-9\", \"currency\": \"USD\"}", OPERATOR)
                .json().path("id").asLong();
        assertThat(http().post("/v1/wallets/" + wallet + "/credit", "application/json",
                "{\"amount\": \"40.00\", \"reason\": \"top-up\"}".getBytes(), "Authorization", "Bearer " + OPERATOR,
                "Idempotency-Key", "credit-1").status()).isEqualTo(200);
        Http.Response placed = http().post("/v1/store/orders", "application/json", ("{\"items\": [{\"product_id\": "
                + mug + ", \"quantity\": 2}], \"wallet_id\": " + wallet + "}").getBytes(), "Authorization",
                "Bearer " + OPERATOR, "Idempotency-Key", "order-1");
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        long order = placed.json().path("id").asLong();

        signIn(ADMIN, PASSWORD);
        go("#/orders/store/" + order);
        browser.text(".detail [data-field=status]", "paid");
        markPage();
        assertThat(api("POST", "/v1/store/orders/" + order + "/ship", null, OPERATOR).status()).isEqualTo(200);
        browser.text(".detail [data-field=status]", "shipped");
        browser.text("tr[data-key=store-" + order + "] [data-field=status]", "shipped");
        assertThat(pageNotReloaded()).isTrue();

        go("#/store/wallets/" + wallet);
        WebElement ledger = browser.text(".detail table", "top-up");
        assertThat(ledger.getText()).contains("40.00").contains("-30.00").contains("credit"); // two mugs and the fallback shipping rate
        assertThat(browser.find(".detail").getText()).contains("Balance 10.00 USD");
    }

    @Test
    void an_agent_reads_and_replies_but_is_offered_no_admin_action() {
        product("MUG-AGENT", 4);
        shopify("orders/create", order(7004, 1, "pending"), "w-agent-1");
        Inbox.awaitDrained(server.db());
        server.node().workers().orElseThrow().pause();
        shopify("orders/paid", order(7004, 2, "paid"), "w-agent-2");
        server.db().execute("UPDATE inbox_event SET attempts = " + server.node().config().maxAttempts()
                + " WHERE dedup_key = 'w-agent-2'");
        server.node().workers().orElseThrow().resume();
        Inbox.awaitDrained(server.db());
        customerWrites("15550007009", "Ines", "Hi from an agent's queue");
        long conversation = conversationOf("15550007009");
        assertThat(api("POST", "/v1/users", "{\"email\": \"agent@shop.test\", \"password\": \"" + PASSWORD
                + "\", \"role\": \"agent\"}", OPERATOR).status()).isEqualTo(201);

        signIn("agent@shop.test", PASSWORD);
        go("#/store");
        browser.text(".page-store table", "MUG-AGENT");
        assertThat(browser.present("button[data-action]")).isFalse();
        go("#/health");
        browser.text(".page-health table", "gave up after");
        assertThat(browser.present("button[data-replay]")).isFalse();
        go("#/inbox/" + conversation);
        browser.text(".messages", "Hi from an agent's queue");
        browser.find("#reply").sendKeys("An agent may answer.");
        browser.find(".reply button").click();
        browser.text(".messages .msg.outbound", "An agent may answer.");
        await().atMost(Duration.ofSeconds(10)).until(() -> callsWithText("An agent may answer.") == 1);
    }

    @Test
    void the_inbox_fits_a_phone_screen() {
        customerWrites("15550007006", "Fatima", "Do you deliver on Sundays?");
        long conversation = conversationOf("15550007006");
        signIn(ADMIN, PASSWORD);
        browser.resize(390, 844);
        go("#/inbox");
        browser.text(".conversations", "Fatima");
        assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        browser.screenshot("inbox-phone");
        go("#/inbox/" + conversation);
        browser.text(".messages", "Do you deliver on Sundays?");
        assertThat(browser.find(".back").isDisplayed()).isTrue();
        assertThat(browser.all(".list-pane").getFirst().isDisplayed()).isFalse();
        assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        browser.screenshot("conversation-phone");
    }
}
