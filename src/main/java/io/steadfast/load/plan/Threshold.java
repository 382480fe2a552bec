package io.steadfast.load.plan;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail bound in k6's spirit: {@code p95<1500} (milliseconds), {@code failed<0.1%}, {@code rate>900}
 * (answered requests per second), optionally for one series only: {@code messages:p95<1000}. Metrics: p50, p90,
 * p95, p99, p99.9, max, avg (ms), failed (a share: {@code 1%} or {@code 0.01}), rate.
 */
public record Threshold(String series, String metric, String operator, double bound, String text) {
    private static final Pattern FORM = Pattern.compile(
            "(?:([a-z0-9_-]+):)?(p50|p90|p95|p99|p99\\.9|max|avg|failed|rate)\\s*(<=|>=|<|>)\\s*([0-9]+(?:\\.[0-9]+)?)(%?)");

    /** Reads one threshold; throws {@link IllegalArgumentException} saying what a good one looks like. */
    public static Threshold parse(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot read threshold '" + text + "': write METRIC<VALUE, for example"
                    + " 'p95<1500' (ms), 'failed<0.1%', 'rate>900', or 'SERIES:p99<100' for one series; metrics are"
                    + " p50, p90, p95, p99, p99.9, max, avg, failed, rate");
        }
        boolean percent = !m.group(5).isEmpty();
        if (percent && !m.group(2).equals("failed")) {
            throw new IllegalArgumentException("threshold '" + text + "': only 'failed' is a share (%); "
                    + m.group(2) + " is in " + (m.group(2).equals("rate") ? "requests per second" : "milliseconds"));
        }
        double bound = Double.parseDouble(m.group(4)) / (percent ? 100 : 1);
        return new Threshold(m.group(1), m.group(2), m.group(3), bound, text.trim());
    }

    /** The value of this threshold's metric in {@code stats}. */
    public double valueIn(Stats stats) {
        return switch (metric) {
            case "p50" -> stats.p50();
            case "p90" -> stats.p90();
            case "p95" -> stats.p95();
            case "p99" -> stats.p99();
            case "p99.9" -> stats.p999();
            case "max" -> stats.max();
            case "avg" -> stats.mean();
            case "failed" -> stats.failedShare();
            case "rate" -> stats.rate();
            default -> throw new IllegalStateException(metric);
        };
    }

    public boolean holds(double value) {
        return switch (operator) {
            case "<" -> value < bound;
            case "<=" -> value <= bound;
            case ">" -> value > bound;
            case ">=" -> value >= bound;
            default -> throw new IllegalStateException(operator);
        };
    }

    /** How far within the bound a value is, as a ratio above 1 when it holds (bound / value for an upper bound). */
    public double margin(double value) {
        boolean upper = operator.startsWith("<");
        if (upper) {
            return value == 0 ? Double.POSITIVE_INFINITY : bound / value;
        }
        return bound == 0 ? Double.POSITIVE_INFINITY : value / bound;
    }

    /** The value formatted in this metric's unit. */
    public String format(double value) {
        return switch (metric) {
            case "failed" -> String.format("%.3f%%", value * 100);
            case "rate" -> String.format("%,.1f/s", value);
            default -> String.format("%.1f ms", value);
        };
    }
}
