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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fifth of the messages come for a phone number nobody registered: their handler fails permanently. They must
 * land in the dead letters with the reason while the rest are applied; once the number is registered, a replay
 * applies them too.
 */
public final class PartialFailure implements Scenario {
    @Override
    public String name() {
        return "partial-failure";
    }

    @Override
    public String invariant() {
        return "100 messages, 20% for an unregistered number: 80 applied, 20 dead-lettered with the reason, all 100 "
                + "applied after registration and replay";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.CHANNEL_REGISTRATION);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        int total = run.scaled(100, 10);
        Traffic registered = run.account(true);
        Traffic unregistered = run.account(false);
        List<Delivery> deliveries = new ArrayList<>(registered.oneEach(registered.messages(total - total / 5, 10)));
        List<Delivery> failing = unregistered.oneEach(unregistered.messages(total / 5, 4));
        deliveries.addAll(failing);
        java.util.Collections.shuffle(deliveries, run.random());
        run.send(deliveries, 8);
        Set<String> failingKeys = new HashSet<>();
        failing.forEach(d -> failingKeys.addAll(d.keys()));
        Verdict first = run.drainAndCheck(new Expectations(failingKeys));

        run.api().post("/v1/channels", Map.of("phone_number_id", unregistered.phoneNumberId()));
        List<StoredEvent> dead = new Observer(run.api()).events(List.of(unregistered.phoneNumberId())).stream()
                .filter(e -> e.status().equals("dead")).toList();
        dead.forEach(e -> run.api().post("/v1/inbox/" + e.id() + "/replay", Map.of()));
        run.note(first.violations().isEmpty()
                ? failingKeys.size() + " events dead-lettered with their reason; " + dead.size() + " replayed after registration"
                : "dead letters were not as expected; " + dead.size() + " replayed after registration");
        return first.and(run.drainAndCheck(Expectations.none()));
    }
}
