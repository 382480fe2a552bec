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

/** Every database connection of the application terminated, again and again, while webhooks arrive. */
public final class DbConnectionKill implements Scenario {
    static final int ROUNDS = 5;

    @Override
    public String name() {
        return "db-connection-kill";
    }

    @Override
    public String invariant() {
        return "connections killed (pg_terminate_backend) 5 times mid-traffic: acknowledged events stored and "
                + "applied once, the rest at most once";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Traffic traffic = run.account(true);
        List<Delivery> deliveries = traffic.everyday(run.scaled(300, 20), 20, 3);
        int[] killed = {0};
        run.sendDuring(deliveries, 16, Duration.ofSeconds(3), simulator -> {
            for (int round = 1; round <= ROUNDS; round++) {
                ScenarioRun.awaitFinished(simulator, (long) deliveries.size() * round / (ROUNDS + 1));
                killed[0] += run.cluster().killConnections();
            }
        });
        run.note("terminated " + killed[0] + " backend connections in " + ROUNDS + " rounds");
        Verdict verdict = run.drainAndCheck(Expectations.none());
        return killed[0] == 0 ? verdict.with("fault did not fire", "no connection was terminated") : verdict;
    }
}
