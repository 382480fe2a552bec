package io.steadfast.chaos.scenario;

import io.steadfast.chaos.JavaProcess;
import io.steadfast.chaos.LocalCluster;
import java.time.Duration;
import java.util.Optional;

/** Finds the worker process to hurt: one that holds leases right now. */
final class Holders {
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private Holders() {
    }

    static JavaProcess awaitHolder(LocalCluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JavaProcess> holder = cluster.workerHoldingLeases();
            if (holder.isPresent()) {
                return holder.get();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no worker process held a lease within " + PATIENCE.toSeconds() + " s");
    }
}
