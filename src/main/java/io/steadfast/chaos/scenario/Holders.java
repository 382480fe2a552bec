package io.steadfast.chaos.scenario;

import io.steadfast.chaos.JavaProcess;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.fault.Fault;
import io.steadfast.simulator.Sendable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Catching a worker process in the middle of a batch, to hurt it there. */
final class Holders {
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private Holders() {
    }

    /** What to do to the worker that holds a batch. */
    interface Strike {
        void apply(JavaProcess holder) throws Exception;
    }

    /**
     * With every handler slowed by {@code handlerDelay} (so batches stay in flight), sends the deliveries and, while
     * they flow, strikes the first worker process seen holding leases; returns it.
     */
    static JavaProcess strikeHolder(ScenarioRun run, List<? extends Sendable> deliveries, Duration handlerDelay,
                                    Strike strike) throws Exception {
        LocalCluster cluster = run.cluster();
        JavaProcess[] holder = new JavaProcess[1];
        run.switchOn(Fault.HANDLER_DELAY_MS, handlerDelay.toMillis(), Duration.ofMinutes(2));
        try {
            run.sendDuring(deliveries, 16, Duration.ofSeconds(1), simulator -> {
                holder[0] = awaitHolder(cluster);
                strike.apply(holder[0]);
            });
        } finally {
            run.clearFaults();
        }
        return holder[0];
    }

    private static JavaProcess awaitHolder(LocalCluster cluster) {
        Optional<JavaProcess> holder = Poll.settle(PATIENCE, cluster::workerHoldingLeases, Optional::isPresent);
        return holder.orElseThrow(() -> new IllegalStateException("no worker process held a lease within "
                + PATIENCE.toSeconds() + " s"));
    }
}
