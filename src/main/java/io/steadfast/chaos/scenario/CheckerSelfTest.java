package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker;
import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.History;
import io.steadfast.chaos.Observation;
import io.steadfast.chaos.Observation.StoredEvent;
import io.steadfast.chaos.Observation.StoredMessage;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checker run on a history and a store in which every kind of broken promise has been planted, and on the
 * same history with a correct store. It passes only if the checker names each planted violation and finds
 * nothing in the correct one: a checker that cannot fail proves nothing.
 */
public final class CheckerSelfTest implements Scenario {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public String name() {
        return "checker-self-test";
    }

    @Override
    public String invariant() {
        return "the checker catches each of 11 violations planted in a broken history, and none in a sound one";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Verdict run(ScenarioRun run) {
        History history = plantedHistory();
        Expectations expected = new Expectations(Set.of("dead-expected", "dead-missing"));
        Verdict broken = Checker.check(history, expected, brokenStore());
        Verdict sound = Checker.check(history, expected, soundStore());
        Set<String> missed = new TreeSet<>(PLANTED);
        missed.removeAll(broken.violations().keySet());
        Verdict verdict = new Verdict(broken.events(), broken.acknowledged(), broken.stored(), 0, 0, 0, Map.of(), List.of());
        for (String kind : missed) {
            verdict = verdict.with("checker missed a violation", kind);
        }
        for (String kind : sound.violations().keySet()) {
            verdict = verdict.with("checker raised a false alarm", kind + ": " + sound.examples());
        }
        if (run != null) {
            run.note("caught " + (PLANTED.size() - missed.size()) + " of " + PLANTED.size() + " planted violations");
        }
        return verdict;
    }

    static final Set<String> PLANTED = Set.of(Checker.LOST, Checker.DUPLICATE_EVENT, Checker.DUPLICATE_EFFECT,
            Checker.REFUSED_BUT_STORED, Checker.LEFT_OVER, Checker.UNEXPECTED_DEAD, Checker.MISSING_DEAD,
            Checker.PHANTOM, Checker.ORDER, Checker.STATUS, Checker.NOT_APPLIED);

    /** Acknowledged events m1..m9 and a status, one refused event, two the scenario expects dead. */
    static History plantedHistory() {
        History history = new History();
        for (String key : List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m8:read", "m9", "dead-expected",
                "dead-missing")) {
            history.invoke(0, "d-" + key, List.of(key)).ok(200);
        }
        history.invoke(0, "d-refused", List.of("refused")).fail(401, "bad signature");
        return history;
    }

    private static Observation soundStore() {
        List<StoredEvent> events = new ArrayList<>();
        for (String key : List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m8:read", "m9")) {
            events.add(new StoredEvent(events.size(), "p", key, "done", null));
        }
        events.add(new StoredEvent(events.size(), "p", "dead-expected", "dead", "unknown phone_number_id"));
        events.add(new StoredEvent(events.size(), "p", "dead-missing", "dead", "unknown phone_number_id"));
        List<StoredMessage> conversation = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            conversation.add(new StoredMessage("m" + i, 1, i == 8 ? "read" : "received", T0.plusSeconds(i)));
        }
        return new Observation(events, byWamid(conversation), List.of(conversation));
    }

    private static Observation brokenStore() {
        List<StoredEvent> events = new ArrayList<>();
        // m1: acknowledged, never stored (lost)
        events.add(new StoredEvent(1, "p", "m2", "done", null));
        events.add(new StoredEvent(2, "p", "m2", "done", null)); // stored twice
        events.add(new StoredEvent(3, "p", "m3", "done", null)); // applied twice: two messages below
        events.add(new StoredEvent(4, "p", "m4", "pending", null)); // left behind
        events.add(new StoredEvent(5, "p", "m5", "dead", "boom")); // dead, not expected
        events.add(new StoredEvent(6, "p", "m6", "done", null));
        events.add(new StoredEvent(7, "p", "m7", "done", null));
        events.add(new StoredEvent(8, "p", "m8", "done", null));
        events.add(new StoredEvent(9, "p", "m8:read", "done", null)); // message below stays delivered
        events.add(new StoredEvent(10, "p", "m9", "done", null)); // done, but no message
        events.add(new StoredEvent(11, "p", "dead-expected", "dead", "unknown phone_number_id"));
        events.add(new StoredEvent(12, "p", "dead-missing", "done", null)); // should be dead
        events.add(new StoredEvent(13, "p", "refused", "done", null)); // refused with 401, yet stored
        events.add(new StoredEvent(14, "p", "phantom", "done", null)); // never sent
        List<StoredMessage> conversation = List.of(
                new StoredMessage("m2", 1, "received", T0.plusSeconds(2)),
                new StoredMessage("m3", 1, "received", T0.plusSeconds(3)),
                new StoredMessage("m3", 1, "received", T0.plusSeconds(3)),
                new StoredMessage("m7", 1, "received", T0.plusSeconds(7)),
                new StoredMessage("m6", 1, "received", T0.plusSeconds(6)), // out of order
                new StoredMessage("m8", 1, "delivered", T0.plusSeconds(8)));
        return new Observation(events, byWamid(conversation), List.of(conversation));
    }

    private static Map<String, List<StoredMessage>> byWamid(List<StoredMessage> messages) {
        Map<String, List<StoredMessage>> map = new java.util.HashMap<>();
        messages.forEach(m -> map.computeIfAbsent(m.wamid(), k -> new ArrayList<>()).add(m));
        return map;
    }
}
