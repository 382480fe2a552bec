package io.steadfast.web;

import io.steadfast.db.Database;
import io.steadfast.load.Seeder;
import io.steadfast.support.TestServer;
import io.steadfast.tenant.Access;
import io.steadfast.tenant.Passwords;
import io.steadfast.tenant.Users;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How long the dashboard's first page takes in Chromium on a seeded deployment: from the start of navigation until
 * the inbox lists its conversations (index, styles, modules, who-am-I, the feed's ticket and ready, the list). The
 * baseline, alternated with it in the same browser, is the sign-in page, which reads no data. Not part of the suite
 * (its name is not a test's); run it with:
 *
 * <pre>./mvnw -q -o verify -Dtest=DashboardPageBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none</pre>
 */
class DashboardPageBenchmark {
    static final int PAIRS = 20;
    static final String PASSWORD = "correct horse battery staple";

    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void first_page_on_a_seeded_deployment() throws Exception {
        Seeder.Result seeded;
        try (Database owner = Database.connect(server.db().database().url(), 2, "dashboard-seed")) {
            seeded = new Seeder(owner, new Random(16)).seed(new Seeder.Plan(20, 1_000, 200_000, 60));
        }
        long business = seeded.businessIds().get(3);
        new Users(server.node().database().jdbi(), new Passwords()).create(business, "bench@shop.test", PASSWORD,
                Access.AGENT);
        String base = "http://127.0.0.1:" + server.node().port() + "/";
        List<Double> inbox = new ArrayList<>();
        List<Double> signIn = new ArrayList<>();
        try (Browser browser = new Browser()) {
            browser.openSignedOut(base + "#/signin");
            browser.find("#email").sendKeys("bench@shop.test");
            browser.find("#password").sendKeys(PASSWORD);
            browser.find(".signin button[type=submit]").click();
            browser.find(".conversations li[data-conversation]");
            String session = (String) browser.script("return sessionStorage.getItem('steadfast.session')");
            for (int i = 0; i < PAIRS + 2; i++) { // the first two pairs warm the JIT and the caches, and are not kept
                browser.script("sessionStorage.clear()");
                browser.open(base + "?run=" + i + "#/signin");
                double signInMs = until(browser, "#email", "steadfast:signin-shown");
                browser.script("sessionStorage.setItem('steadfast.session', arguments[0])", session);
                browser.open(base + "?run=" + i + "#/inbox");
                double inboxMs = until(browser, ".conversations li[data-conversation]", "steadfast:inbox-listed");
                if (i >= 2) {
                    signIn.add(signInMs);
                    inbox.add(inboxMs);
                }
            }
        }
        System.out.printf("%n  dashboard first page, Chromium headless, %d conversations and %d messages in %d businesses"
                + " (the page's business: %d conversations)%n", seeded.conversations(), seeded.messages(),
                seeded.businessIds().size(), seeded.conversations() / seeded.businessIds().size());
        System.out.printf("  %-34s %8s %8s %8s%n", "page (until its content shows)", "median", "p90", "max");
        System.out.printf("  %-34s %8.0f %8.0f %8.0f  ms%n", "sign-in (baseline: no data)", pct(signIn, 50), pct(signIn, 90), pct(signIn, 100));
        System.out.printf("  %-34s %8.0f %8.0f %8.0f  ms%n", "inbox (50 conversations, live)", pct(inbox, 50), pct(inbox, 90), pct(inbox, 100));
        System.out.printf("  inbox / sign-in: %.2f; target 1000 ms / inbox median: %.1fx%n%n",
                pct(inbox, 50) / pct(signIn, 50), 1000 / pct(inbox, 50));
    }

    /** Milliseconds from the start of navigation until the page marked {@code mark} (once {@code css} shows). */
    private static double until(Browser browser, String css, String mark) {
        browser.find(css);
        return ((Number) browser.script("return performance.getEntriesByName(arguments[0])[0].startTime", mark))
                .doubleValue();
    }

    private static double pct(List<Double> values, int percentile) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
