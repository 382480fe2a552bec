package io.steadfast.chaos;

import io.steadfast.terminal.Table;
import java.util.List;

/** The results as a terminal table, one row per scenario. */
final class ResultsTable {
    private ResultsTable() {
    }

    static String render(List<ScenarioResult> results) {
        Table table = new Table(1, "scenario", "sent", "acked", "stored", "dups", "lost", "order", "p50 ms", "p95 ms",
                "p99 ms", "time", "verdict");
        for (ScenarioResult r : results) {
            Verdict v = r.verdict();
            if (v == null) {
                table.row(r.name(), "-", "-", "-", "-", "-", "-", "-", "-", "-", seconds(r), r.status());
            } else {
                table.row(r.name(), v.events(), v.acknowledged(), v.stored(), v.duplicates(), v.lost(),
                        v.orderViolations(), ms(r.latencyMs(50)), ms(r.latencyMs(95)), ms(r.latencyMs(99)), seconds(r),
                        r.status());
            }
        }
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
