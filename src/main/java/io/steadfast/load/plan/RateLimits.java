package io.steadfast.load.plan;

import io.steadfast.config.Config;
import io.steadfast.error.SteadfastException;
import io.steadfast.load.LoadClient;
import io.steadfast.ratelimit.RateLimit;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Seed 004 test 8: one credential at twice its limit is refused with 429 and Retry-After; another is not touched. */
@Command(name = "rate-limit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Seed 004's rate-limit test: two API keys of one business read conversations at the same time, one at",
                "twice the limit (--rate, default 2 x the limit) and one at half of it. The first must get 429 with",
                "Retry-After for what is over the limit, and no more than the limit allows through; the second must",
                "never be refused. Own Steadfast: the limit is --limit; with --url: the deployment's own, read from",
                "the RateLimit-Policy header of a first request (two keys are created there with the operator token).",
                "Thresholds: failed < 0.1% (a failure: any refusal of the key under its limit, a 429 without",
                "Retry-After, or any other error), p95 < 500 ms.",
                ""})
public final class RateLimits extends PlanScenario {
    private static final Pattern POLICY = Pattern.compile("q=(\\d+);w=(\\d+)");

    @Option(names = "--limit", defaultValue = "600/min", description = "Own Steadfast: STEADFAST_API_RATE_LIMIT (default ${DEFAULT-VALUE}).")
    String limit;

    @Override
    String name() {
        return "rate-limit";
    }

    @Override
    String summary() {
        return "One API key at twice its rate limit, another at half of it, reading at the same time.";
    }

    @Override
    List<String> defaultThresholds() {
        return List.of("failed<0.1%", "p95<500");
    }

    @Override
    void measure(Report report) {
        RateLimit own;
        try {
            own = RateLimit.parse(limit).orElseThrow(() -> new IllegalArgumentException("--limit off: nothing to test"));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(options.spec.commandLine(), "--limit: " + e.getMessage());
        }
        try (Target target = Target.of(options, out, Map.of(Config.API_RATE_LIMIT, limit))) {
            String overKey = target.operator().post("/v1/api-keys", Map.of("name", "load-over-limit")).path("api_key").asText();
            String over = "Bearer " + overKey;
            String under = "Bearer " + target.operator().post("/v1/api-keys", Map.of("name", "load-under-limit"))
                    .path("api_key").asText();
            RateLimit policy = policy(target, overKey);
            double perSecond = policy.requests() / (double) policy.window().toSeconds();
            double overRate = options.rate(2 * perSecond);
            double underRate = perSecond / 2;
            Duration duration = options.duration(policy.window().compareTo(Duration.ofMinutes(5)) <= 0 ? policy.window()
                    : Duration.ofMinutes(5));
            AtomicLong allowed = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            double total = overRate + underRate;
            report.configure("target", target.describe()).configure("limit", policy + " per credential")
                    .configure("duration", duration.toSeconds() + " s")
                    .configure("over-limit key", rate(overRate)).configure("under-limit key", rate(underRate));
            // no warm-up (rate 0): it would spend the bucket the run measures
            OpenLoad.Result result = drive(target, report, Profile.constant(total, duration), 0, (n, second) -> {
                boolean underLimit = Math.floor((n + 1) * underRate / total) > Math.floor(n * underRate / total);
                LoadClient.Call call = new LoadClient.Call("/v1/conversations?limit=1", null, "Authorization",
                        underLimit ? under : over);
                if (underLimit) {
                    return new OpenLoad.Request("under-limit", call);
                }
                return new OpenLoad.Request("over-limit", call, r -> {
                    if (r.status() == 200) {
                        allowed.incrementAndGet();
                        return null;
                    }
                    if (r.status() == 429) {
                        refused.incrementAndGet();
                        return r.retryAfter() == null ? "429 without Retry-After" : null;
                    }
                    return "HTTP " + r.status();
                });
            }, List.of("over-limit", "under-limit"), options.connections(16));
            long windows = (long) Math.floor(result.elapsed().toSeconds() / (double) policy.window().toSeconds()) + 1;
            long most = policy.requests() * windows;
            report.check("over the limit: refused with 429", refused.get() > 0, String.format("%,d refused", refused.get()))
                    .check("no more let through than the limit allows", allowed.get() <= most, String.format(
                            "%,d let through; the limit allows at most %,d in %d window(s)", allowed.get(), most, windows))
                    .check("the limit itself is let through", allowed.get() >= Math.min(policy.requests(),
                            allowed.get() + refused.get()), String.format("%,d let through of a limit of %,d",
                            allowed.get(), policy.requests()));
        }
    }

    /** The limit the deployment applies to a credential, from the RateLimit-Policy header of its first answer. */
    private static RateLimit policy(Target target, String key) {
        HttpResponse<String> r = target.operator().as(key).exchange("GET", "/v1/conversations?limit=1", null);
        Matcher m = POLICY.matcher(r.headers().firstValue("RateLimit-Policy").orElse(""));
        if (!m.find()) {
            throw new SteadfastException("no_rate_limit", 409, "the deployment at " + target.base() + " answered "
                    + r.statusCode() + " without a RateLimit-Policy header: its STEADFAST_API_RATE_LIMIT is off, so there"
                    + " is no limit to test");
        }
        return new RateLimit(Long.parseLong(m.group(1)), Duration.ofSeconds(Long.parseLong(m.group(2))));
    }
}
