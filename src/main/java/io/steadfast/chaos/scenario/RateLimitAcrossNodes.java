package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.LocalCluster.ApiNode;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Api;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.Traffic;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * One credential's API traffic at twice its limit, alternating between two nodes, while another credential of the
 * same business reads now and then and the provider delivers webhooks: the two nodes share one bucket.
 */
public final class RateLimitAcrossNodes implements Scenario {
    static final Duration WINDOW = Duration.ofSeconds(4);
    static final int WINDOWS = 3;

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public String invariant() {
        return "API calls at twice a credential's limit across two nodes: the limit is allowed once per window (within "
                + "one refill), every 429 carries Retry-After, another credential and the webhooks are unaffected";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        int limit = run.scaled(20, 10);
        Api busy = run.newBusiness("rate-limit", Map.of("api_rate_limit", limit + "/" + WINDOW.toSeconds() + "s"));
        Api calm = busy.as(busy.post("/v1/api-keys", Map.of("name", "calm")).path("api_key").asText());
        Api unlimited = run.newBusiness("webhooks", Map.of("api_rate_limit", "off")); // its reads check the webhooks
        Traffic traffic = run.account(unlimited);
        List<Delivery> webhooks = traffic.everyday(run.scaled(150, 20), 10, 3);
        ApiNode second = run.cluster().startApiNode();
        List<Api> nodes = List.of(busy, new Api(second.baseUrl(), busy.token()));
        Tally tally = new Tally();
        try {
            run.sendDuring(webhooks, 8, WINDOW.multipliedBy(WINDOWS), simulator -> hammer(nodes, calm, limit, tally));
        } finally {
            second.process().terminate(Duration.ofSeconds(20));
        }
        double windowsElapsed = tally.elapsed.toNanos() / (double) WINDOW.toNanos();
        long refills = (long) Math.floor(windowsElapsed);
        run.note(tally.allowed + " of " + tally.sent + " calls allowed in " + String.format("%.1f", windowsElapsed)
                + " windows of " + WINDOW.toSeconds() + " s at a limit of " + limit + "; " + tally.calmAllowed + " of "
                + tally.calmSent + " calls of the other credential allowed");

        Verdict verdict = run.drainAndCheck(unlimited, List.of(traffic.phoneNumberId()), Expectations.none());
        if (tally.allowed > limit * (refills + 1) || tally.allowed < limit * refills) {
            verdict = verdict.with("limit not held across nodes", tally.allowed + " calls allowed in "
                    + String.format("%.1f", windowsElapsed) + " windows; a shared bucket allows " + limit * refills + "-"
                    + limit * (refills + 1));
        }
        for (String problem : tally.problems) {
            verdict = verdict.with("rate limit answer malformed", problem);
        }
        if (tally.calmAllowed < tally.calmSent) {
            verdict = verdict.with("another credential held back", (tally.calmSent - tally.calmAllowed) + " of "
                    + tally.calmSent + " calls of an idle credential were refused");
        }
        return verdict;
    }

    private static final class Tally {
        long sent;
        long allowed;
        long calmSent;
        long calmAllowed;
        Duration elapsed = Duration.ZERO;
        final List<String> problems = new java.util.ArrayList<>();

        void problem(String text) {
            if (problems.size() < 5) {
                problems.add(text);
            }
        }
    }

    /** Twice the limit per window, for {@link #WINDOWS} windows, alternating nodes; the calm key every tenth call. */
    private static void hammer(List<Api> nodes, Api calm, int limit, Tally tally) {
        long pause = WINDOW.toNanos() / (2L * limit);
        long start = System.nanoTime();
        long end = start + WINDOW.multipliedBy(WINDOWS).toNanos();
        for (int i = 0; System.nanoTime() < end; i++) {
            Api node = nodes.get(i % nodes.size());
            HttpResponse<String> r = node.exchange("GET", "/v1/conversations?limit=1", null);
            tally.sent++;
            check(r, tally);
            if (r.statusCode() == 200) {
                tally.allowed++;
            }
            if (i % 10 == 9) {
                tally.calmSent++;
                tally.calmAllowed += calm.exchange("GET", "/v1/conversations?limit=1", null).statusCode() == 200 ? 1 : 0;
            }
            LockSupport.parkNanos(Math.max(0, start + (i + 1) * pause - System.nanoTime()));
        }
        tally.elapsed = Duration.ofNanos(System.nanoTime() - start);
    }

    private static void check(HttpResponse<String> r, Tally tally) {
        var headers = r.headers();
        if (headers.firstValue("RateLimit").isEmpty() || headers.firstValue("RateLimit-Policy").isEmpty()) {
            tally.problem(r.statusCode() + " without RateLimit and RateLimit-Policy headers");
        }
        if (r.statusCode() == 429 && headers.firstValue("Retry-After").map(v -> !v.matches("[1-9]\\d*")).orElse(true)) {
            tally.problem("429 without a Retry-After of whole seconds: " + headers.firstValue("Retry-After").orElse("none"));
        }
        if (r.statusCode() != 200 && r.statusCode() != 429) {
            tally.problem("answered " + r.statusCode() + ": " + r.body());
        }
    }
}
