package io.steadfast.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Traffic;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Four worker processes race over one burst. */
public final class ConcurrentWorkers implements Scenario {
    static final int WORKER_PROCESSES = 4;

    @Override
    public String name() {
        return "concurrent-workers";
    }

    @Override
    public String invariant() {
        return "4 worker processes, one burst of 2,000 messages and their statuses: each applied exactly once, the "
                + "work shared";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        int before = cluster.workers().size();
        cluster.addWorkers(Math.max(0, WORKER_PROCESSES - before));
        try {
            Map<Long, Long> processedBefore = processedByPid(run);
            Traffic traffic = run.account(true);
            var deliveries = traffic.everyday(run.scaled(2000, 100), 100, 4);
            run.send(deliveries, 32);
            Verdict verdict = run.drainAndCheck(Expectations.none());
            // workers report their counts with their heartbeat: wait until two have, or a few heartbeats went by
            Map<Long, Long> processed = Poll.settle(io.steadfast.inbox.Workers.HEARTBEAT_INTERVAL.multipliedBy(3), () -> {
                Map<Long, Long> now = processedByPid(run);
                now.replaceAll((pid, n) -> n - processedBefore.getOrDefault(pid, 0L));
                return now;
            }, now -> now.values().stream().filter(n -> n > 0).count() >= 2);
            long busy = processed.values().stream().filter(n -> n > 0).count();
            run.note("events applied per worker process: " + processed.values());
            if (busy < 2) {
                verdict = verdict.with("workers did not share", "only " + busy + " worker process applied events");
            }
            return verdict;
        } finally {
            cluster.keepWorkers(before);
        }
    }

    private static Map<Long, Long> processedByPid(ScenarioRun run) {
        Map<Long, Long> byPid = new HashMap<>();
        for (JsonNode w : run.api().get("/health/detailed").path("workers")) {
            byPid.merge(w.path("pid").asLong(), w.path("processed_count").asLong(), Long::sum);
        }
        return byPid;
    }
}
