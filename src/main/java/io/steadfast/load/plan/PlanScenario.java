package io.steadfast.load.plan;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * One scenario of the load plan: it measures into a {@link Report}, which is judged by the thresholds (the
 * scenario's or {@code --threshold}), printed and written. Exit 0 when every threshold and check held, 99 when one
 * did not (k6's code for crossed thresholds), 2 for bad usage.
 */
public abstract class PlanScenario implements Callable<Integer> {
    static final int THRESHOLDS_CROSSED = 99;
    /** Added to a warm-up's request numbers, so that its idempotency keys and message ids differ from the run's. */
    static final long WARMUP_OFFSET = 1L << 40;

    @Mixin
    PlanOptions options;

    final PrintStream out = System.out;

    abstract String name();

    /** One sentence: what the scenario does, for the report's head. */
    abstract String summary();

    abstract List<String> defaultThresholds();

    abstract void measure(Report report) throws Exception;

    @Override
    public final Integer call() throws Exception {
        options.check();
        List<Threshold> thresholds = options.thresholds(defaultThresholds());
        Report report = new Report(name(), summary());
        measure(report);
        report.judge(thresholds).publish(out, options.reportDir(name()));
        return report.passed() ? 0 : THRESHOLDS_CROSSED;
    }

    /**
     * Warms up at {@code warmRate} (unrecorded), then runs {@code profile} with the target's resources sampled, and
     * adds both to the report.
     */
    OpenLoad.Result drive(Target target, Report report, Profile profile, double warmRate, OpenLoad.Traffic traffic,
                          List<String> series, int connections, Series... measuredElsewhere) {
        OpenLoad load = new OpenLoad(target.base(), connections);
        Duration warmup = options.warmup;
        report.configure("connections", connections);
        warmUp(load, report, warmRate, traffic, series);
        try (Resources resources = new Resources(target.base())) {
            OpenLoad.Result result = load.run(name(), profile, traffic, series, measuredElsewhere);
            report.add(result).resources(resources.samples());
            return result;
        }
    }

    /** Unrecorded load at {@code rate} for --warmup (none when either is zero); says so when any of it failed. */
    void warmUp(OpenLoad load, Report report, double rate, OpenLoad.Traffic traffic, List<String> series) {
        Duration warmup = options.warmup;
        if (warmup.isZero() || rate <= 0) {
            return;
        }
        OpenLoad.Result warm = load.run("warm-up", Profile.constant(rate, warmup),
                (n, s) -> traffic.request(n + WARMUP_OFFSET, s), series);
        report.configure("warm-up", warmup.toSeconds() + " s at " + rate(rate) + ", not recorded");
        long failed = warm.stats().stream().mapToLong(Stats::failed).sum();
        if (failed > 0) {
            String why = warm.series().values().stream().flatMap(s -> s.failures().keySet().stream()).findFirst().orElse("");
            report.finding(String.format("The warm-up had %,d failures (%s): the server may not have been warm.", failed, why));
            out.printf("  warm-up: %,d requests failed, for example %s%n", failed, why);
        }
    }

    static String rate(double perSecond) {
        return String.format("%,.0f/s", perSecond);
    }
}
