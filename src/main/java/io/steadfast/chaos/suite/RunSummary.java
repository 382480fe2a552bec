package io.steadfast.chaos.suite;

import io.steadfast.chaos.suite.ScenarioResult.Status;
import java.time.Duration;
import java.util.List;

/** One run of the suite: how to reproduce it, what it ran against, and how each scenario ended. */
record RunSummary(long seed, double scale, String command, String target, Versions versions, Duration duration,
                  List<ScenarioResult> results) {

    record Versions(String steadfast, String java, String postgresql, String machine) {
    }

    long count(Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    boolean passed() {
        return count(Status.FAILED) == 0;
    }

    String verdictLine() {
        long skipped = count(Status.SKIPPED);
        String skips = skipped == 0 ? "" : "; " + skipped + " skipped (see above), not counted as passed";
        if (passed()) {
            return "VERDICT: PASS - " + count(Status.PASSED) + " scenarios passed" + skips;
        }
        return "VERDICT: FAIL - DO NOT LAUNCH: " + count(Status.FAILED) + " of " + results.size()
                + " scenarios failed" + skips + ". Replay with: " + command;
    }
}
