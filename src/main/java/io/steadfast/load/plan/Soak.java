package io.steadfast.load.plan;

import io.steadfast.load.LoadClient;
import io.steadfast.simulator.RemoteOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Seed 004's soak phase, bounded: a steady mix for a while, and whether anything grows that should not. */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Seed 004's soak test, bounded by --duration (default 10 minutes; the seed's is 2 hours): --rate",
                "(default 200/s) of half signed webhooks and half dashboard reads (the conversations, a conversation's",
                "messages) held steady. Heap, threads, database sessions, inbox depth and latency are sampled each",
                "second; the later half of the run (the first tenth left out) is compared with the earlier half:",
                "the heap's floor may not grow by more than 20% (+16 MB; judged from 5 minutes on), threads by more",
                "than 5 and the p95 by more than half (+5 ms; both judged from 60 s on), database sessions by more",
                "than 2, the inbox's mean depth by more than 100.",
                "With --url it needs --app-secret.",
                "Thresholds: p95 < 500 ms, failed < 0.1%, and the growth checks.",
                ""})
public final class Soak extends PlanScenario {
    private static final int HEAP_JUDGED_AFTER = 300;
    private static final int DRIFT_JUDGED_AFTER = 60;

    @Mixin
    RemoteOptions.AppSecret appSecret;

    @Override
    String name() {
        return "soak";
    }

    @Override
    String summary() {
        return "A steady mix of webhooks and dashboard reads for a bounded time; nothing may grow that should not.";
    }

    @Override
    List<String> defaultThresholds() {
        return List.of("p95<500", "failed<0.1%");
    }

    @Override
    void measure(Report report) {
        double rate = options.rate(200);
        Duration duration = options.duration(Duration.ofMinutes(10));
        try (Target target = Target.of(options, out, Map.of())) {
            String secret = Webhooks.secret(target, appSecret);
            SignedWebhooks webhooks = new SignedWebhooks(secret, 2_000);
            String auth = "Bearer " + target.operatorToken();
            List<Long> conversations = new java.util.concurrent.CopyOnWriteArrayList<>();
            OpenLoad.Traffic traffic = (n, second) -> {
                long i = n % WARMUP_OFFSET;
                if (i % 2 == 0) {
                    return new OpenLoad.Request("webhooks", webhooks.webhook(n));
                }
                if (i % 4 == 1 || conversations.isEmpty()) {
                    return new OpenLoad.Request("reads", new LoadClient.Call("/v1/conversations?limit=50", null,
                            "Authorization", auth));
                }
                return new OpenLoad.Request("reads", new LoadClient.Call("/v1/conversations/"
                        + conversations.get(Readers.pick(i, conversations.size())) + "/messages?limit=100", null,
                        "Authorization", auth));
            };
            OpenLoad load = new OpenLoad(target.base(), options.connections(64));
            warmUp(load, report, rate, traffic, List.of("webhooks", "reads"));
            target.operator().get("/v1/conversations?limit=500").path("items")
                    .forEach(c -> conversations.add(c.path("id").asLong()));
            report.configure("target", target.describe()).configure("duration", duration.toSeconds() + " s")
                    .configure("arrival rate", rate(rate) + ": half webhooks, half dashboard reads");
            OpenLoad.Result result = drive(target, report, Profile.constant(rate, duration), 0, traffic,
                    List.of("webhooks", "reads"), options.connections(64));
            judgeGrowth(report, report.resources(), result);
        }
    }

    private static void judgeGrowth(Report report, List<Resources.Sample> samples, OpenLoad.Result result) {
        int skip = samples.size() / 10;
        List<Resources.Sample> settled = samples.subList(skip, samples.size());
        if (settled.size() < 4) {
            report.check("growth", false, "too short to compare halves: run at least 10 s");
            return;
        }
        List<Resources.Sample> early = settled.subList(0, settled.size() / 2);
        List<Resources.Sample> late = settled.subList(settled.size() / 2, settled.size());
        if (samples.size() >= HEAP_JUDGED_AFTER) { // a shorter run may see no collection in one of its halves
            growth(report, "heap floor (MB)", early, late, Resources.Sample::heapMb, true, (a, b) -> b <= a * 1.2 + 16);
        } else {
            report.note("The heap's floor is judged on runs of " + HEAP_JUDGED_AFTER / 60 + " minutes or more.");
        }
        if (samples.size() < DRIFT_JUDGED_AFTER) { // halves of a few seconds each: noise, not growth
            report.note("Threads and latency are judged on runs of " + DRIFT_JUDGED_AFTER + " s or more.");
        } else {
            growth(report, "live threads", early, late, Resources.Sample::threads, false, (a, b) -> b <= a + 5);
        }
        growth(report, "database sessions", early, late, Resources.Sample::databaseConnections, false, (a, b) -> b <= a + 2);
        double earlyDepth = mean(early, Resources.Sample::inboxPending);
        double lateDepth = mean(late, Resources.Sample::inboxPending);
        report.check("inbox depth not building up", Double.isNaN(lateDepth) || lateDepth <= earlyDepth + 100,
                String.format("mean %.0f then %.0f", earlyDepth, lateDepth));
        for (Series s : samples.size() < DRIFT_JUDGED_AFTER ? List.<Series>of() : result.series().values()) {
            List<Series.Point> points = s.points();
            List<Series.Point> kept = points.subList(Math.min(points.size(), points.size() / 10), points.size());
            int half = kept.size() / 2;
            double a = median(kept.subList(0, half));
            double b = median(kept.subList(half, kept.size()));
            report.check(s.name() + ": latency not drifting", b <= a * 1.5 + 5,
                    String.format("median per-second p95 %.1f ms then %.1f ms", a, b));
        }
    }

    private static void growth(Report report, String name, List<Resources.Sample> early, List<Resources.Sample> late,
                               ToDoubleFunction<Resources.Sample> measure, boolean floor,
                               java.util.function.BiPredicate<Double, Double> bounded) {
        double a = floor ? min(early, measure) : max(early, measure);
        double b = floor ? min(late, measure) : max(late, measure);
        if (Double.isNaN(a) || Double.isNaN(b)) {
            report.check(name + " not growing", true, "not reported by the target");
            return;
        }
        report.check(name + " not growing", bounded.test(a, b), String.format("%s %,.0f then %,.0f",
                floor ? "lowest" : "highest", a, b));
    }

    private static double min(List<Resources.Sample> s, ToDoubleFunction<Resources.Sample> m) {
        return s.stream().mapToDouble(m).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }

    private static double max(List<Resources.Sample> s, ToDoubleFunction<Resources.Sample> m) {
        return s.stream().mapToDouble(m).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    private static double mean(List<Resources.Sample> s, ToDoubleFunction<Resources.Sample> m) {
        return s.stream().mapToDouble(m).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    private static double median(List<Series.Point> points) {
        double[] v = points.stream().filter(p -> p.ok() + p.failed() > 0).mapToDouble(Series.Point::p95).sorted().toArray();
        return v.length == 0 ? 0 : v[v.length / 2];
    }
}
