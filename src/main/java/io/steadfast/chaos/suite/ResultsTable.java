package io.steadfast.chaos.suite;

import io.steadfast.chaos.Verdict;
import io.steadfast.terminal.Table;
import java.util.List;

/** The results as a terminal table, one row per scenario. */
final class ResultsTable {
    private ResultsTable() {
    }

    /** The columns, the same in the terminal, report.md and report.html. */
    static final List<String> HEADER = List.of("scenario", "sent", "acked", "stored", "dups", "lost", "order", "p50 ms",
            "p95 ms", "p99 ms", "time", "verdict");

    /** One scenario's row, as text, in {@link #HEADER} order. */
    static List<String> cells(ScenarioResult r) {
        Verdict v = r.verdict();
        if (v == null) {
            return List.of(r.name(), "-", "-", "-", "-", "-", "-", "-", "-", "-", seconds(r), r.status().name());
        }
        return List.of(r.name(), Long.toString(v.events()), Long.toString(v.acknowledged()), Long.toString(v.stored()),
                Long.toString(v.duplicates()), Long.toString(v.lost()), Long.toString(v.orderViolations()),
                ms(r.latencyMs(50)), ms(r.latencyMs(95)), ms(r.latencyMs(99)), seconds(r), r.status().name());
    }

    static String render(List<ScenarioResult> results) {
        Table table = new Table(1, HEADER.toArray(String[]::new));
        results.forEach(r -> table.row(cells(r).toArray()));
        return table.render();
    }

    /** One line after a scenario finishes. */
    static String summary(ScenarioResult r) {
        Verdict v = r.verdict();
        if (v == null) {
            return r.name() + " in " + seconds(r);
        }
        return String.format("%s: %d events, %d acknowledged, %d stored, %d duplicates, %d lost, %d out of order, "
                        + "p99 %s ms, %s", r.name(), v.events(), v.acknowledged(), v.stored(), v.duplicates(), v.lost(),
                v.orderViolations(), ms(r.latencyMs(99)), seconds(r));
    }

    static String ms(double value) {
        return Double.isNaN(value) ? "-" : value < 10 ? String.format("%.1f", value) : String.format("%.0f", value);
    }

    static String seconds(ScenarioResult r) {
        return String.format("%.1f s", r.duration().toMillis() / 1000.0);
    }
}
