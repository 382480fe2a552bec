package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.Observation.StoredEvent;
import io.steadfast.chaos.Observer;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.Traffic;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reconciliation: compare every event the provider has with what the deployment stored, and name each gap. The
 * simulator holds back a share of deliveries, as a provider outage would, so there are gaps to find.
 */
public final class LossDetection implements Scenario {
    static final double WITHHELD_SHARE = 0.05;

    @Override
    public String name() {
        return "loss-detection";
    }

    @Override
    public String invariant() {
        return "reconciliation names exactly the events the provider never delivered (5% held back), and none once "
                + "they are redelivered";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Traffic traffic = run.account(true);
        List<Delivery> all = traffic.oneEach(traffic.messages(run.scaled(200, 20), 20));
        List<Delivery> withheld = new ArrayList<>();
        List<Delivery> delivered = new ArrayList<>();
        for (Delivery d : all) {
            (run.random().nextDouble() < WITHHELD_SHARE || withheld.isEmpty() && d == all.getLast() ? withheld : delivered).add(d);
        }
        run.send(delivered, 8);
        Verdict verdict = run.drainAndCheck(Expectations.none());
        Set<String> expectedGaps = keys(withheld);
        Set<String> gaps = gaps(run, all);
        if (!gaps.equals(expectedGaps)) {
            verdict = verdict.with("reconciliation wrong", "named " + gaps.size() + " gaps, expected the "
                    + expectedGaps.size() + " held back; difference: " + symmetricDifference(gaps, expectedGaps));
        }
        run.send(withheld, 8);
        verdict = verdict.and(run.drainAndCheck(Expectations.none()));
        Set<String> after = gaps(run, all);
        if (!after.isEmpty()) {
            verdict = verdict.with("reconciliation wrong", after.size() + " gaps remain after redelivery: " + after);
        }
        run.note("reconciliation named " + gaps.size() + " gaps (" + expectedGaps.size() + " held back), "
                + after.size() + " after redelivery");
        return verdict;
    }

    /** Events the provider has that the deployment does not. */
    private static Set<String> gaps(ScenarioRun run, List<Delivery> providerLedger) {
        Set<String> stored = new Observer(run.api()).events(run.partitions()).stream().map(StoredEvent::key)
                .collect(Collectors.toSet());
        Set<String> gaps = new TreeSet<>(keys(providerLedger));
        gaps.removeAll(stored);
        return gaps;
    }

    private static Set<String> keys(List<Delivery> deliveries) {
        return deliveries.stream().flatMap(d -> d.keys().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> symmetricDifference(Set<String> a, Set<String> b) {
        Set<String> diff = new TreeSet<>(a);
        diff.addAll(b);
        Set<String> both = new TreeSet<>(a);
        both.retainAll(b);
        diff.removeAll(both);
        return diff;
    }
}
