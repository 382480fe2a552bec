package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.ProviderSimulator;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.Traffic;
import java.util.List;
import java.util.Set;

/** A thousand distinct webhooks at the same moment. */
public final class Concurrent1000 implements Scenario {
    /**
     * Webhooks of an account nothing checks, applied before the burst: the burst then meets a deployment whose
     * webhook path is compiled, as a provider's burst would, rather than one minutes old (measured: the JIT was 45% of
     * the ingest node's CPU over its first 12,000 webhooks).
     */
    private static final int WARM_UP_WEBHOOKS = 3_000;
    /** Health checks the sender makes first, so that its latencies are the deployment's (see ProviderSimulator). */
    private static final int WARM_UP_REQUESTS = 3_000;

    @Override
    public String name() {
        return "concurrent-1000";
    }

    @Override
    public String invariant() {
        return "1,000 distinct webhooks sent at once: 1,000 messages, none lost, none doubled";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Traffic traffic = run.account(true);
        List<Delivery> deliveries = traffic.oneEach(traffic.messages(run.scaled(1000, 20), 50));
        run.warmUp(run.scaled(WARM_UP_WEBHOOKS, 20));
        ProviderSimulator simulator = run.simulator();
        simulator.warmUp(WARM_UP_REQUESTS, 50);
        run.send(simulator, deliveries, deliveries.size());
        return run.drainAndCheck(Expectations.none());
    }
}
