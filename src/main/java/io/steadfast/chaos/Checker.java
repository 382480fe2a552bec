package io.steadfast.chaos;

import io.steadfast.chaos.History.Outcome;
import io.steadfast.chaos.Observation.StoredEvent;
import io.steadfast.chaos.Observation.StoredMessage;
import io.steadfast.messaging.MessageStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a history against what the deployment holds afterwards:
 * <ul>
 * <li>every acknowledged (ok) event is stored exactly once and processed exactly once (its inbox event is done and
 * its effect, the message, exists once);</li>
 * <li>every event of unknown outcome (info) is stored at most once and, if stored, processed once;</li>
 * <li>no refused (fail) event is stored;</li>
 * <li>no event is left pending or leased after the drain; dead letters only where the scenario expects them, each
 * with a reason;</li>
 * <li>each conversation reads back in provider-timestamp order;</li>
 * <li>each message's status is the furthest of the statuses stored for it.</li>
 * </ul>
 */
public final class Checker {
    public static final int MAX_EXAMPLES = 10;

    public static final String LOST = "acknowledged but not stored";
    public static final String NOT_APPLIED = "stored but its effect is missing";
    public static final String DUPLICATE_EVENT = "event stored more than once";
    public static final String DUPLICATE_EFFECT = "effect applied more than once";
    public static final String REFUSED_BUT_STORED = "refused (4xx) but stored";
    public static final String LEFT_OVER = "left pending or leased after the drain";
    public static final String UNEXPECTED_DEAD = "dead-lettered unexpectedly";
    public static final String MISSING_DEAD = "expected in the dead letters but is not";
    public static final String PHANTOM = "stored but never sent";
    public static final String ORDER = "read back out of provider order";
    public static final String STATUS = "status is not the furthest stored";

    private Checker() {
    }

    /** What the scenario meant to happen besides the defaults: events that must end in the dead letters. */
    public record Expectations(Set<String> deadKeys) {
        public static Expectations none() {
            return new Expectations(Set.of());
        }
    }

    public static Verdict check(History history, Expectations expected, Observation seen) {
        Map<String, Outcome> outcomes = history.outcomes();
        Map<String, List<StoredEvent>> rows = new HashMap<>();
        seen.events().forEach(e -> rows.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
        Findings findings = new Findings();
        long duplicates = 0;
        long lost = 0;
        for (var entry : outcomes.entrySet()) {
            String key = entry.getKey();
            Outcome outcome = entry.getValue();
            List<StoredEvent> stored = rows.getOrDefault(key, List.of());
            if (stored.size() > 1) {
                duplicates += stored.size() - 1;
                findings.add(DUPLICATE_EVENT, key + " is in the inbox " + stored.size() + " times");
            }
            if (stored.isEmpty()) {
                if (outcome == Outcome.OK) {
                    lost++;
                    findings.add(LOST, key + " was acknowledged but is not in the inbox");
                }
                continue;
            }
            if (outcome == Outcome.FAIL) {
                findings.add(REFUSED_BUT_STORED, key + " got a 4xx on every attempt but is in the inbox");
            }
            boolean deadExpected = expected.deadKeys().contains(key);
            for (StoredEvent e : stored) {
                switch (e.status()) {
                    case "pending", "processing" -> findings.add(LEFT_OVER, key + " is still " + e.status());
                    case "dead" -> {
                        if (!deadExpected) {
                            findings.add(UNEXPECTED_DEAD, key + ": " + e.lastError());
                        } else if (e.lastError() == null || e.lastError().isBlank()) {
                            findings.add(UNEXPECTED_DEAD, key + " is dead without a reason");
                        }
                    }
                    default -> {
                        if (deadExpected) {
                            findings.add(MISSING_DEAD, key + " is " + e.status());
                        }
                    }
                }
            }
            if (isMessage(key)) {
                int effects = seen.messagesByWamid().getOrDefault(key, List.of()).size();
                boolean done = stored.stream().anyMatch(e -> e.status().equals("done"));
                if (effects > 1) {
                    duplicates += effects - 1;
                    findings.add(DUPLICATE_EFFECT, key + " exists as " + effects + " messages");
                } else if (done && effects == 0) {
                    lost++;
                    findings.add(NOT_APPLIED, key + " is done in the inbox but no message has that id");
                }
            }
        }
        for (StoredEvent e : seen.events()) {
            if (!outcomes.containsKey(e.key())) {
                findings.add(PHANTOM, e.key() + " (inbox id " + e.id() + ") was never sent by the simulator");
            }
        }
        checkStatuses(seen, rows, findings);
        long orderViolations = checkOrder(seen, findings);
        long acknowledged = outcomes.values().stream().filter(o -> o == Outcome.OK).count();
        long storedKeys = outcomes.keySet().stream().filter(rows::containsKey).count();
        return findings.verdict(outcomes.size(), acknowledged, storedKeys, duplicates, lost, orderViolations);
    }

    private static void checkStatuses(Observation seen, Map<String, List<StoredEvent>> rows, Findings findings) {
        Map<String, Integer> furthest = new HashMap<>();
        for (var entry : rows.entrySet()) {
            String key = entry.getKey();
            int colon = key.lastIndexOf(':');
            if (colon < 0 || entry.getValue().stream().noneMatch(e -> e.status().equals("done"))) {
                continue;
            }
            int rank = MessageStatus.rankOf(key.substring(colon + 1));
            furthest.merge(key.substring(0, colon), rank, Math::max);
        }
        for (var entry : seen.messagesByWamid().entrySet()) {
            for (StoredMessage m : entry.getValue()) {
                int expected = Math.max(MessageStatus.RECEIVED.rank(), furthest.getOrDefault(entry.getKey(), 0));
                int actual = m.status().equals(MessageStatus.RECEIVED.wire()) ? MessageStatus.RECEIVED.rank()
                        : MessageStatus.rankOf(m.status());
                if (actual != expected) {
                    findings.add(STATUS, entry.getKey() + " is " + m.status() + " but the furthest status stored has rank "
                            + expected);
                }
            }
        }
    }

    private static long checkOrder(Observation seen, Findings findings) {
        long violations = 0;
        for (List<StoredMessage> conversation : seen.conversations()) {
            for (int i = 1; i < conversation.size(); i++) {
                StoredMessage before = conversation.get(i - 1);
                StoredMessage after = conversation.get(i);
                if (after.providerTimestamp().isBefore(before.providerTimestamp())) {
                    violations++;
                    findings.add(ORDER, "conversation " + after.conversationId() + ": " + after.wamid() + " ("
                            + after.providerTimestamp() + ") reads after " + before.wamid() + " ("
                            + before.providerTimestamp() + ")");
                }
            }
        }
        return violations;
    }

    private static boolean isMessage(String key) {
        return key.indexOf(':') < 0;
    }
}
