package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.JavaProcess;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Traffic;
import io.steadfast.chaos.Verdict;
import java.time.Duration;
import java.util.Set;

/** A worker process killed with SIGKILL while it holds a batch. */
public final class WorkerKill9 implements Scenario {
    static final Duration HANDLER_DELAY = Duration.ofMillis(400);

    @Override
    public String name() {
        return "worker-kill-9";
    }

    @Override
    public String invariant() {
        return "a worker process killed with kill -9 mid-batch: its events are reclaimed after the lease and applied "
                + "exactly once";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL, Need.FAULT_INJECTION);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        Traffic traffic = run.account(true);
        var deliveries = traffic.oneEach(traffic.messages(run.scaled(200, 40), 20));
        JavaProcess victim = Holders.strikeHolder(run, deliveries, HANDLER_DELAY, cluster::killWorker);
        run.note("killed worker pid " + victim.pid() + " (kill -9) while it held a batch; a replacement started");
        return run.drainAndCheck(Expectations.none());
    }
}
