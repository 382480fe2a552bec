package io.steadfast.load.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Arrivals per second over a run, as k6's ramping-arrival-rate describes them: a starting rate, then stages that each
 * move the rate linearly to their target over their duration (a stage whose target equals the current rate holds it).
 */
public record Profile(double startRate, List<Stage> stages) {
    public record Stage(Duration duration, double targetRate) {
    }

    public Profile {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a profile needs at least one stage");
        }
    }

    /** One rate held for {@code duration}. */
    public static Profile constant(double rate, Duration duration) {
        return new Profile(rate, List.of(new Stage(duration, rate)));
    }

    /** Stages given as fractions of {@code total} with rates as fractions of {@code peak}: {f1, r1, f2, r2, ...}. */
    public static Profile scaled(Duration total, double peak, double startFraction, double... fractionThenRate) {
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < fractionThenRate.length; i += 2) {
            stages.add(new Stage(Duration.ofMillis(Math.max(1, Math.round(total.toMillis() * fractionThenRate[i]))),
                    peak * fractionThenRate[i + 1]));
        }
        return new Profile(peak * startFraction, stages);
    }

    public Duration duration() {
        return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** The rate at {@code seconds} into the run; 0 after its end. */
    public double rateAt(double seconds) {
        double from = startRate;
        double stageStart = 0;
        for (Stage s : stages) {
            double length = s.duration().toNanos() / 1e9;
            if (seconds < stageStart + length) {
                return from + (s.targetRate() - from) * (seconds - stageStart) / length;
            }
            stageStart += length;
            from = s.targetRate();
        }
        return 0;
    }

    /** Arrivals due from the start up to {@code seconds} (the integral of the rate). */
    public double arrivalsBy(double seconds) {
        double total = 0;
        double from = startRate;
        double stageStart = 0;
        for (Stage s : stages) {
            double length = s.duration().toNanos() / 1e9;
            double within = Math.min(Math.max(seconds - stageStart, 0), length);
            double rateThere = from + (s.targetRate() - from) * within / length;
            total += (from + rateThere) / 2 * within;
            stageStart += length;
            from = s.targetRate();
        }
        return total;
    }
}
