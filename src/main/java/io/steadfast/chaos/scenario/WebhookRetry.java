package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.History;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.fault.Fault;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The endpoint answers 500 for a while, before and then after commit; the provider retries. */
public final class WebhookRetry implements Scenario {
    static final Duration FAULT_WINDOW = Duration.ofSeconds(1);

    @Override
    public String name() {
        return "webhook-retry";
    }

    @Override
    public String invariant() {
        return "100 deliveries answered 500 (half before commit, half after) and retried: each message stored exactly once";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.FAULT_INJECTION);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Traffic traffic = run.account(true);
        List<Delivery> deliveries = traffic.oneEach(traffic.messages(run.scaled(100, 4), 10));
        int half = deliveries.size() / 2;
        // all at once, so that every first attempt falls inside the fault window
        run.switchOn(Fault.WEBHOOK_500_BEFORE_COMMIT, 1, FAULT_WINDOW);
        run.send(deliveries.subList(0, half), half);
        run.switchOn(Fault.WEBHOOK_500_AFTER_COMMIT, 1, FAULT_WINDOW);
        run.send(deliveries.subList(half, deliveries.size()), deliveries.size() - half);
        run.clearFaults();
        List<History.Entry> failed = run.history().entries().stream()
                .filter(e -> e.type() == History.Type.INFO && e.httpStatus() == 500).toList();
        long hit = failed.stream().map(History.Entry::delivery).distinct().count();
        run.note(failed.size() + " attempts answered 500 by the injected fault, " + hit + " of " + deliveries.size()
                + " deliveries retried");
        Verdict verdict = run.drainAndCheck(Expectations.none());
        if (hit < deliveries.size()) {
            verdict = verdict.with("fault did not fire", (deliveries.size() - hit) + " of " + deliveries.size()
                    + " deliveries never met an injected 500: they did not test retries");
        }
        return verdict;
    }
}
