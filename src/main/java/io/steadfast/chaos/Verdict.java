package io.steadfast.chaos;

import java.util.List;
import java.util.Map;

/**
 * The checker's finding for one scenario. {@code violations} counts each kind of broken promise; {@code examples}
 * names the first few events behind them, so a failure can be looked up.
 */
public record Verdict(long events, long acknowledged, long stored, long duplicates, long lost, long orderViolations,
                      Map<String, Long> violations, List<String> examples) {

    public boolean passed() {
        return violations.isEmpty();
    }

    /** This verdict with the violations of another check of the same scenario added. */
    public Verdict and(Verdict other) {
        var merged = new java.util.TreeMap<>(violations);
        other.violations.forEach((k, v) -> merged.merge(k, v, Long::sum));
        var names = new java.util.ArrayList<>(examples);
        names.addAll(other.examples);
        return new Verdict(other.events, other.acknowledged, other.stored, Math.max(duplicates, other.duplicates),
                Math.max(lost, other.lost), Math.max(orderViolations, other.orderViolations), merged,
                names.subList(0, Math.min(names.size(), Checker.MAX_EXAMPLES)));
    }

    /** This verdict and that of the same checks over other events (another business's), counted together. */
    public Verdict plus(Verdict other) {
        Verdict merged = and(other);
        return new Verdict(events + other.events, acknowledged + other.acknowledged, stored + other.stored,
                duplicates + other.duplicates, lost + other.lost, orderViolations + other.orderViolations,
                merged.violations, merged.examples);
    }

    /** This verdict with one more violation, found by a scenario's own check. */
    public Verdict with(String kind, String example) {
        var merged = new java.util.TreeMap<>(violations);
        merged.merge(kind, 1L, Long::sum);
        var names = new java.util.ArrayList<>(examples);
        if (names.size() < Checker.MAX_EXAMPLES) {
            names.add(example);
        }
        return new Verdict(events, acknowledged, stored, duplicates, lost, orderViolations, merged, names);
    }
}
