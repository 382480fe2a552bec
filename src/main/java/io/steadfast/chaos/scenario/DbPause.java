package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** PostgreSQL frozen (SIGSTOP) longer than the ack timeout: the application sees a hang, not an error. */
public final class DbPause implements Scenario {
    static final Duration PAUSE = Duration.ofSeconds(4);

    @Override
    public String name() {
        return "db-pause";
    }

    @Override
    public String invariant() {
        return "PostgreSQL frozen for 4 s mid-traffic: nothing acknowledged that was not committed, no event doubled "
                + "once it thaws";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Traffic traffic = run.account(true);
        List<Delivery> deliveries = traffic.everyday(run.scaled(200, 20), 20, 3);
        LocalCluster cluster = run.cluster();
        run.sendDuring(deliveries, 16, Duration.ofSeconds(3), simulator -> {
            ScenarioRun.awaitFinished(simulator, deliveries.size() / 3);
            cluster.pauseDatabase();
            try {
                Thread.sleep(PAUSE);
            } finally {
                cluster.resumeDatabase();
            }
        });
        long disturbed = run.disturbedAttempts(Duration.ofSeconds(1));
        run.note("PostgreSQL frozen for " + PAUSE.toSeconds() + " s; " + disturbed
                + " attempts answered with an error or after more than 1 s");
        Verdict verdict = run.drainAndCheck(Expectations.none());
        return disturbed == 0 ? verdict.with("fault did not fire", "no request noticed the frozen database") : verdict;
    }
}
