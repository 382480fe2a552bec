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
 * A worker frozen (SIGSTOP) in the middle of a batch until its lease has expired and others have applied its
 * events, then thawed: a zombie. Fencing must refuse its commit.
 */
public final class WorkerPausePastLease implements Scenario {
    static final Duration HANDLER_DELAY = Duration.ofMillis(800);
    static final Duration FREEZE = LocalCluster.LEASE.plusSeconds(4);
    static final Duration REPORT_PATIENCE = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "worker-pause-past-lease";
    }

    @Override
    public String invariant() {
        return "a worker frozen mid-batch past its lease, then thawed: its late commit is refused (fencing), every "
                + "event applied once";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL, Need.FAULT_INJECTION);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        Traffic traffic = run.account(true);
        var deliveries = traffic.oneEach(traffic.messages(run.scaled(100, 40), 10));
        long refusedBefore = cluster.leaseLostTotal();
        JavaProcess zombie = Holders.strikeHolder(run, deliveries, HANDLER_DELAY, holder -> {
            holder.signal("STOP");
            try {
                Thread.sleep(FREEZE);
            } finally {
                holder.signal("CONT");
            }
        });
        Verdict verdict = run.drainAndCheck(Expectations.none());
        long refused = awaitRefusals(cluster, refusedBefore);
        run.note("froze worker pid " + zombie.pid() + " for " + FREEZE.toSeconds() + " s (lease "
                + LocalCluster.LEASE.toSeconds() + " s); commits refused by fencing afterwards: " + refused);
        if (refused == 0) {
            verdict = verdict.with("zombie not fenced", "worker pid " + zombie.pid()
                    + " reported no refused commit after it thawed");
        }
        return verdict;
    }

    /** Fencing refusals since {@code before}; workers report them with their heartbeat, so wait for one. */
    private static long awaitRefusals(LocalCluster cluster, long before) {
        return Poll.settle(REPORT_PATIENCE, () -> cluster.leaseLostTotal() - before, refused -> refused > 0);
    }
}
