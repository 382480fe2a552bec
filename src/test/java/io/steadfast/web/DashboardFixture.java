package io.steadfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.config.Config;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import io.steadfast.support.Http;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestPostgres;
import io.steadfast.support.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A node with a WhatsApp provider simulator, a chromium, and before each test a business whose WhatsApp number, shop
 * and admin are registered: what every dashboard test starts from. Use with {@code @RegisterExtension static final
 * DashboardFixture dashboard = new DashboardFixture();}.
 */
final class DashboardFixture implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    static final String PHONE = "106000000001";
    static final String SHOP = "dashboard-test.myshopify.com";
    static final String ADMIN = "admin@shop.test";
    static final String PASSWORD = "correct horse battery staple";
    static final String OPERATOR = TestNodes.API_TOKEN;

    final WhatsAppCloudSimulator whatsapp = new WhatsAppCloudSimulator();
    /** Where the node looks for chaos and load reports. */
    final Path reports = TestPostgres.tempDir("steadfast-dashboard-reports");
    final TestServer server = new TestServer(Map.of(
            Config.WHATSAPP_API_URL, whatsapp.baseUrl().toString(),
            Config.WHATSAPP_ACCESS_TOKEN, WhatsAppCloudSimulator.TOKEN,
            Config.PROVIDER_TIMEOUT_MS, "1000",
            Config.REPORTS_DIR, reports.toString()));
    final ShopActivity shop = new ShopActivity(server, whatsapp, PHONE, SHOP);
    Browser browser;

    @Override
    public void beforeAll(ExtensionContext context) {
        server.beforeAll(context);
        browser = new Browser();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.beforeEach(context);
        whatsapp.forget();
        browser.resize(1280, 900);
        assertThat(api("POST", "/v1/channels", "{\"phone_number_id\": \"" + PHONE + "\"}", OPERATOR).status()).isIn(200, 201);
        assertThat(api("POST", "/v1/channels", "{\"shop_domain\": \"" + SHOP + "\"}", OPERATOR).status()).isIn(200, 201);
        assertThat(api("POST", "/v1/users", "{\"email\": \"" + ADMIN + "\", \"password\": \"" + PASSWORD
                + "\", \"role\": \"admin\"}", OPERATOR).status()).isEqualTo(201);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
        }
        server.afterAll(context);
        whatsapp.close();
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

    /** Signs in with the operator token, under "Operator?". */
    void signInAsOperator() {
        browser.openSignedOut(url("#/signin"));
        browser.find(".signin summary").click();
        browser.find("#api-token").sendKeys(OPERATOR);
        browser.all(".signin form").get(1).submit();
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
}
