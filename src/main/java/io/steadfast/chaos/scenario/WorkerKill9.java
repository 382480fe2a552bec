package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.JavaProcess;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Traffic;
import java.time.Duration;
import java.util.Set;

/**
 * A worker process killed with SIGKILL while it holds a batch; its events must be taken over within
 * {@link #RECOVERY_BOUND}.
 */
public final class WorkerKill9 implements Scenario {
    static final Duration HANDLER_DELAY = Duration.ofMillis(400);
    public static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    public static final String SLOW_RECOVERY = "a dead worker's events taken over too late";

    @Override
    public String name() {
        return "worker-kill-9";
    }

    @Override
    public String invariant() {
        return "a worker process killed with kill -9 mid-batch: its events are taken over within "
                + RECOVERY_BOUND.toSeconds() + " s and applied exactly once";
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
        long[] recoveryMs = {-1};
        JavaProcess victim = Holders.strikeHolder(run, deliveries, HANDLER_DELAY, holder -> {
            long killedAt = System.nanoTime();
            cluster.killWorker(holder);
            if (Poll.within(RECOVERY_BOUND.multipliedBy(3), () -> cluster.eventsLeasedBy(holder.pid()) == 0)) {
                recoveryMs[0] = (System.nanoTime() - killedAt) / 1_000_000;
            }
        });
        run.note("killed worker pid " + victim.pid() + " (kill -9) while it held a batch; a replacement started; "
                + "its events were taken over " + (recoveryMs[0] < 0 ? "not within " + RECOVERY_BOUND.multipliedBy(3)
                .toSeconds() + " s" : "after " + recoveryMs[0] + " ms") + " (bound " + RECOVERY_BOUND.toSeconds() + " s)");
        Verdict verdict = run.drainAndCheck(Expectations.none());
        if (recoveryMs[0] < 0 || recoveryMs[0] > RECOVERY_BOUND.toMillis()) {
            verdict = verdict.with(SLOW_RECOVERY, "worker pid " + victim.pid() + ": " + (recoveryMs[0] < 0
                    ? "still holding events" : recoveryMs[0] + " ms") + " after kill -9");
        }
        return verdict;
    }
}
