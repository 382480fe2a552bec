package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** PostgreSQL stopped and started again while webhooks arrive and workers apply them. */
public final class DbRestart implements Scenario {
    @Override
    public String name() {
        return "db-restart";
    }

    @Override
    public String invariant() {
        return "PostgreSQL restarted mid-traffic: every acknowledged event stored and applied once, the rest at "
                + "most once";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Traffic traffic = run.account(true);
        List<Delivery> deliveries = traffic.everyday(run.scaled(300, 20), 20, 3);
        long[] remaining = {0};
        run.sendDuring(deliveries, 16, Duration.ofSeconds(3), simulator -> {
            ScenarioRun.awaitFinished(simulator, deliveries.size() / 3);
            remaining[0] = deliveries.size() - simulator.finished();
            long started = System.nanoTime();
            run.cluster().restartDatabase();
            run.note("PostgreSQL restarted in " + (System.nanoTime() - started) / 1_000_000 + " ms with "
                    + remaining[0] + " of " + deliveries.size() + " deliveries still in flight or to come");
        });
        Verdict verdict = run.drainAndCheck(Expectations.none());
        return remaining[0] == 0 ? verdict.with("fault did not fire", "the traffic was over before the restart") : verdict;
    }
}
