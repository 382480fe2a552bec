package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.ProviderSimulator;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.Traffic;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** One webhook delivered again and again, one after another and all at once. */
public final class DuplicateWebhook implements Scenario {
    @Override
    public String name() {
        return "duplicate-webhook";
    }

    @Override
    public String invariant() {
        return "the same webhook 100 times (half in a row, half at once): 1 message, every copy acknowledged";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Traffic traffic = run.account(true);
        Delivery delivery = traffic.oneEach(traffic.messages(1, 1)).getFirst();
        int copies = run.scaled(100, 4);
        ProviderSimulator simulator = run.simulator();
        for (int i = 0; i < copies / 2; i++) {
            simulator.deliver(0, delivery);
        }
        List<Delivery> burst = Collections.nCopies(copies - copies / 2, delivery);
        run.send(simulator, burst, burst.size());
        Verdict verdict = run.drainAndCheck(Expectations.none());
        if (simulator.acknowledged() != copies) {
            verdict = verdict.with("copy not acknowledged", (copies - simulator.acknowledged()) + " of " + copies
                    + " copies were not acknowledged: a duplicate must get 200 so the provider stops");
        }
        return verdict;
    }
}
