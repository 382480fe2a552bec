package io.steadfast.chaos.suite;

import io.steadfast.chaos.History;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;

/** How one scenario ended: passed, failed (with the checker's verdict or the error), or skipped with the reason. */
public record ScenarioResult(String name, String invariant, Status status, String reason, Verdict verdict,
                             Histogram latency, long ok, long fail, long info, Duration duration, List<String> notes) {

    public enum Status { PASSED, FAILED, SKIPPED }

    static ScenarioResult skipped(Scenario s, String reason) {
        return new ScenarioResult(s.name(), s.invariant(), Status.SKIPPED, reason, null, null, 0, 0, 0, Duration.ZERO,
                List.of());
    }

    static ScenarioResult finished(Scenario s, ScenarioRun run, Verdict verdict, String error, Duration duration) {
        History h = run.history();
        Status status = error == null && verdict != null && verdict.passed() ? Status.PASSED : Status.FAILED;
        return new ScenarioResult(s.name(), s.invariant(), status, error, verdict, h.latency(), h.count(History.Type.OK),
                h.count(History.Type.FAIL), h.count(History.Type.INFO), duration, run.notes());
    }

    /** Latency at a percentile in milliseconds, or NaN when nothing was timed. */
    public double latencyMs(double percentile) {
        return latency == null || latency.getTotalCount() == 0 ? Double.NaN
                : latency.getValueAtPercentile(percentile) / 1e6;
    }
}
