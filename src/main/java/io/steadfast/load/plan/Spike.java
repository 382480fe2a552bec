package io.steadfast.load.plan;

import io.steadfast.simulator.RemoteOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Seed 004's spike phase: ten times the load for a while, then how long until the system is back to normal. */
@Command(name = "spike", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Seed 004's spike test, on the path a provider spikes: signed webhooks at --rate (default 100/s), then",
                "--factor times that (default 10) for a while, then --rate again (of --duration: a quarter at the base",
                "rate, a ramp, 30% at the peak, a ramp down, the rest at the base rate). Recovery: the first second",
                "after the spike from which, for 5 seconds in a row, the p95 of each second is back within twice the",
                "base phase's (or 50 ms of it) and the inbox holds no more than 100 beyond what it held before.",
                "With --url it needs --app-secret.",
                "Thresholds: failed < 1%; the check: recovered before the run ended.",
                ""})
public final class Spike extends PlanScenario {

    @Mixin
    RemoteOptions.AppSecret appSecret;

    @Option(names = "--factor", defaultValue = "10", description = "The spike, as a multiple of --rate (default ${DEFAULT-VALUE}).")
    double factor;

    @Override
    String name() {
        return "spike";
    }

    @Override
    String summary() {
        return "Webhooks at a base rate, then ten times that for a while, then the base rate again: errors, and the time to recover.";
    }

    @Override
    List<String> defaultThresholds() {
        return List.of("failed<1%");
    }

    @Override
    void measure(Report report) {
        double base = options.rate(100);
        Duration duration = options.duration(Duration.ofMinutes(3));
        // base 25%, ramp up 5%, peak 30%, ramp down 2%, base again 38%
        Profile profile = Profile.scaled(duration, base * factor, 1 / factor, 0.25, 1 / factor, 0.05, 1, 0.30, 1, 0.02,
                1 / factor, 0.38, 1 / factor);
        try (Target target = Target.of(options, out, Map.of())) {
            String secret = Webhooks.secret(target, appSecret);
            SignedWebhooks webhooks = new SignedWebhooks(secret, 10_000);
            report.configure("target", target.describe()).configure("duration", duration.toSeconds() + " s")
                    .configure("rates", rate(base) + ", spiking to " + rate(base * factor));
            OpenLoad.Result result = drive(target, report, profile, base, (n, second) -> new OpenLoad.Request("webhooks",
                    webhooks.webhook(n)), List.of("webhooks"),
                    options.connections(64));
            judgeRecovery(report, result.series().get("webhooks").points(), report.resources(), duration);
        }
    }

    private static void judgeRecovery(Report report, List<Series.Point> points, List<Resources.Sample> resources,
                                      Duration duration) {
        double total = duration.toMillis() / 1000.0;
        double baseEnd = total * 0.25;
        double spikeEnd = total * 0.62;
        double baseP95 = points.stream().filter(p -> p.second() > 3 && p.second() <= baseEnd)
                .mapToDouble(Series.Point::p95).average().orElse(0);
        double baseDepth = resources.stream().filter(r -> r.second() <= baseEnd && !Double.isNaN(r.inboxPending()))
                .mapToDouble(Resources.Sample::inboxPending).max().orElse(0);
        double latencyBound = Math.max(2 * baseP95, baseP95 + 50);
        double spikeP95 = points.stream().filter(p -> p.second() > baseEnd && p.second() <= spikeEnd)
                .mapToDouble(Series.Point::p95).max().orElse(0);
        double peakDepth = resources.stream().filter(r -> !Double.isNaN(r.inboxPending()))
                .mapToDouble(Resources.Sample::inboxPending).max().orElse(0);
        // five seconds in a row, fewer on a run too short to have them after its spike
        int steadySeconds = Math.max(2, Math.min(5, (int) (total * 0.05)));
        Double recoveredAt = null;
        int steady = 0;
        for (Series.Point p : points) {
            if (p.second() <= spikeEnd) {
                continue;
            }
            double second = p.second();
            double depth = resources.stream().filter(r -> Math.abs(r.second() - second) < 1 && !Double.isNaN(r.inboxPending()))
                    .mapToDouble(Resources.Sample::inboxPending).max().orElse(0);
            steady = p.p95() <= latencyBound && depth <= baseDepth + 100 ? steady + 1 : 0;
            if (steady == steadySeconds) {
                recoveredAt = second - steadySeconds + 1;
                break;
            }
        }
        report.note(String.format("Base phase p95 %.1f ms; spike p95 (worst second) %.1f ms; inbox depth peaked at %,.0f.",
                baseP95, spikeP95, peakDepth));
        report.check("recovered after the spike", recoveredAt != null, recoveredAt == null
                ? String.format("not within the run: no %d seconds in a row with p95 <= %.0f ms and the inbox back",
                steadySeconds, latencyBound)
                : String.format("%.0f s after the spike ended (p95 <= %.0f ms, inbox <= %,.0f)", Math.max(0, recoveredAt - spikeEnd),
                latencyBound, baseDepth + 100));
    }
}
