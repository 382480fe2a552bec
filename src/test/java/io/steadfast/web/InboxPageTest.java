package io.steadfast.web;

import static io.steadfast.web.DashboardFixture.ADMIN;
import static io.steadfast.web.DashboardFixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steadfast.simulator.WhatsAppCloudSimulator;
import io.steadfast.simulator.WhatsAppPayloads.Status;
import io.steadfast.support.Inbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** The dashboard in a real browser: signing in and out, and the agent's inbox, live. */
class InboxPageTest {
    @RegisterExtension
    static final DashboardFixture dashboard = new DashboardFixture();
    final Browser browser = dashboard.browser;
    final ShopActivity shop = dashboard.shop;

    @Test
    void a_user_signs_in_with_email_and_password_and_signs_out() {
        browser.openSignedOut(dashboard.url(""));
        browser.find("#email").sendKeys(ADMIN);
        browser.find("#password").sendKeys("wrong password");
        browser.find(".signin button[type=submit]").click();
        browser.text(".signin [role=alert]", "The email or the password is wrong.");
        browser.screenshot("sign-in");

        dashboard.signIn(ADMIN, PASSWORD);
        assertThat(browser.find("#who").getText()).contains(ADMIN).contains("default").contains("admin");
        assertThat(browser.find("h1").getText()).isEqualTo("Inbox");

        browser.find("#sign-out").click();
        browser.find("#email");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        dashboard.go("#/orders");
        browser.find("#email"); // still the sign-in form: nothing is shown without a credential
        assertThat(browser.present("header.top:not([hidden])")).isFalse();
    }

    @Test
    void the_operator_signs_in_with_the_api_token() {
        dashboard.signInAsOperator();
        assertThat(browser.find("#who").getText()).contains("Operator").contains("default");
    }

    @Test
    void a_message_arriving_while_the_inbox_is_open_appears_without_a_reload() {
        dashboard.signIn(ADMIN, PASSWORD);
        browser.find(".conversations");
        dashboard.markPage();

        shop.customerWrites("15550007001", "Ana Souza", "Is my order on its way?");

        WebElement item = browser.text(".conversations li", "Ana Souza");
        assertThat(item.getText()).contains("Is my order on its way?");
        assertThat(browser.text(".conversations .badge", "1").getAttribute("data-unread")).isEqualTo("1");
        browser.text("[data-count=unread]", "1 unread");
        assertThat(dashboard.pageNotReloaded()).isTrue();

        item.findElement(org.openqa.selenium.By.tagName("a")).click();
        browser.text(".messages .msg.inbound", "Is my order on its way?");
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.present(".conversations .badge"));
        browser.text("[data-count=unread]", "0 unread");

        shop.customerWrites("15550007001", "Ana Souza", "Hello? Anyone there?");
        browser.text(".messages .msg.inbound", "Hello? Anyone there?");
        assertThat(browser.all(".messages .msg").stream().map(WebElement::getText).map(t -> t.split("\n")[0]).toList())
                .containsExactly("Is my order on its way?", "Hello? Anyone there?");
        assertThat(dashboard.pageNotReloaded()).isTrue();
    }

    @Test
    void a_reply_double_clicked_is_sent_once() {
        shop.customerWrites("15550007002", "Bruno", "Can I change the address?");
        long conversation = shop.conversationOf("15550007002");
        dashboard.signIn(ADMIN, PASSWORD);
        dashboard.go("#/inbox/" + conversation);
        browser.text(".messages", "Can I change the address?");

        browser.find("#reply").sendKeys("Yes, send me the new one.");
        new Actions(browser.driver()).doubleClick(browser.find(".reply button")).perform();

        browser.text(".messages .msg.outbound", "Yes, send me the new one.");
        await().atMost(Duration.ofSeconds(10)).until(() -> shop.callsWithText("Yes, send me the new one.") >= 1);
        browser.until(d -> browser.present(".msg.outbound[data-status=sent]") ? true : null, "the reply to be sent");
        browser.screenshot("inbox-conversation");
        assertThat(shop.callsWithText("Yes, send me the new one.")).isEqualTo(1);
        assertThat(dashboard.server.db().count("SELECT count(*) FROM outbound_message")).isEqualTo(1);
        assertThat(browser.all(".msg.outbound")).hasSize(1);
        assertThat(browser.find("#reply").getAttribute("value")).isEmpty();

        // the same form sent twice more, as a flaky network's retries would: still one message
        browser.find("#reply").sendKeys("Anything else?");
        browser.script("const f = document.querySelector('form.reply'); f.requestSubmit(); f.requestSubmit();");
        browser.text(".messages .msg.outbound", "Anything else?");
        await().atMost(Duration.ofSeconds(10)).until(() -> shop.callsWithText("Anything else?") >= 1);
        assertThat(dashboard.server.db().count("SELECT count(*) FROM outbound_message")).isEqualTo(2);
    }

    @Test
    void status_webhooks_turn_the_ticks_failures_show_their_reason_and_unknown_sends_are_flagged() {
        shop.customerWrites("15550007003", "Carla", "Did you ship it?");
        shop.customerWrites("15550007004", "Dario", "Where is it?");
        dashboard.whatsapp.invalid("+15550007004");
        dashboard.whatsapp.invalid("15550007004");
        long carla = shop.conversationOf("15550007003");
        long dario = shop.conversationOf("15550007004");
        dashboard.signIn(ADMIN, PASSWORD);
        dashboard.go("#/inbox/" + carla);
        dashboard.markPage();
        browser.find("#reply").sendKeys("Shipped this morning.");
        browser.find(".reply button").click();
        browser.until(d -> browser.present(".msg.outbound[data-status=sent]") ? true : null, "the tick to show sent");
        assertThat(browser.find(".msg.outbound .tick").getText()).isEqualTo("✓");

        WhatsAppCloudSimulator.Call call = dashboard.whatsapp.calls().getFirst();
        long now = Instant.now().getEpochSecond();
        assertThat(dashboard.http().postWebhook(shop.payloads().statusOfSent(new Status(call.wamid(), "delivered", "15550007003", now),
                call.callbackData())).status()).isEqualTo(200);
        browser.until(d -> browser.present(".msg.outbound[data-status=delivered]") ? true : null, "the tick to turn delivered");
        assertThat(browser.find(".msg.outbound .tick").getText()).isEqualTo("✓✓");
        assertThat(dashboard.http().postWebhook(shop.payloads().statusOfSent(new Status(call.wamid(), "read", "15550007003", now + 1),
                call.callbackData())).status()).isEqualTo(200);
        browser.until(d -> browser.present(".msg.outbound .tick[data-status=read]") ? true : null, "the tick to turn read");
        assertThat(dashboard.pageNotReloaded()).isTrue();

        dashboard.go("#/inbox/" + dario);
        browser.text(".messages", "Where is it?");
        browser.find("#reply").sendKeys("Let me check.");
        browser.find(".reply button").click();
        WebElement failed = browser.until(d -> browser.all(".msg.outbound[data-status=failed]").stream().findFirst()
                .orElse(null), "the reply to fail");
        assertThat(failed.getText()).contains("Failed:");
        assertThat(failed.findElement(org.openqa.selenium.By.cssSelector(".tick")).getAttribute("aria-label")).isEqualTo("Failed");
        browser.text("[data-count=failed]", "1 failed");

        shop.customerWrites("15550007008", "Hana", "Still there?");
        dashboard.whatsapp.swallow("+15550007008"); // takes the send and never answers: it may or may not have gone out
        dashboard.whatsapp.swallow("15550007008");
        dashboard.go("#/inbox/" + shop.conversationOf("15550007008"));
        browser.text(".messages", "Still there?");
        browser.find("#reply").sendKeys("Yes!");
        browser.find(".reply button").click();
        WebElement unknown = browser.until(d -> browser.all(".msg.outbound[data-status=unknown]").stream().findFirst()
                .orElse(null), "the reply to be flagged unknown");
        assertThat(unknown.findElement(org.openqa.selenium.By.cssSelector(".tick")).getText()).isEqualTo("?");
        assertThat(unknown.getText()).contains("Unknown: the provider never confirmed this send");
        assertThat(shop.callsWithText("Yes!")).as("never sent blindly again").isEqualTo(1);
    }

    /** Every control on each page has a name a screen reader reads, and a reply can be sent from the keyboard alone. */
    @Test
    void every_control_is_named_text_has_contrast_and_a_reply_goes_out_from_the_keyboard() {
        shop.customerWrites("15550007007", "Gustavo", "Keyboard only, please");
        long conversation = shop.conversationOf("15550007007");
        shop.product("MUG-KEYS", 3);
        dashboard.signIn(ADMIN, PASSWORD);
        for (String page : List.of("#/inbox/" + conversation, "#/orders/shopify", "#/orders/store", "#/store", "#/health")) {
            dashboard.go(page);
            browser.find("h1");
            browser.until(d -> browser.present(".page table, .page .conversations li, .page .muted") ? true : null,
                    page + " to render");
            assertThat(PageChecks.unnamedControls(browser)).as(page + ": controls without a name").isEmpty();
            assertThat(browser.find("main").getText()).as(page + ": no value left unformatted")
                    .doesNotContainPattern("\\b(null|undefined|NaN)\\b|\\[object ");
            Map<?, ?> contrast = PageChecks.contrast(browser);
            assertThat((Long) contrast.get("checked")).as(page + ": texts checked").isGreaterThan(5);
            assertThat(contrast.get("low")).as(page + ": text below WCAG AA contrast (4.5:1)").isEqualTo(List.of());
        }
        dashboard.go("#/inbox/" + conversation);
        browser.text(".messages", "Keyboard only, please");
        WebElement reply = browser.find("#reply");
        reply.click();
        reply.sendKeys("Typed and sent without a mouse");
        reply.sendKeys(org.openqa.selenium.Keys.TAB); // to the Send button
        assertThat(browser.script("return document.activeElement.textContent")).isEqualTo("Send");
        browser.driver().switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
        browser.text(".messages .msg.outbound", "Typed and sent without a mouse");
        await().atMost(Duration.ofSeconds(10)).until(() -> shop.callsWithText("Typed and sent without a mouse") == 1);
    }

    @Test
    void the_inbox_fits_a_phone_screen() {
        shop.customerWrites("15550007006", "Fatima", "Do you deliver on Sundays?");
        long conversation = shop.conversationOf("15550007006");
        dashboard.signIn(ADMIN, PASSWORD);
        browser.resize(390, 844);
        dashboard.go("#/inbox");
        browser.text(".conversations", "Fatima");
        assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        browser.screenshot("inbox-phone");
        dashboard.go("#/inbox/" + conversation);
        browser.text(".messages", "Do you deliver on Sundays?");
        assertThat(browser.find(".back").isDisplayed()).isTrue();
        assertThat(browser.all(".list-pane").getFirst().isDisplayed()).isFalse();
        assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        browser.screenshot("conversation-phone");
    }
}
