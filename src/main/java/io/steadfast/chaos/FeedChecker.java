package io.steadfast.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges what live clients received against the change log as a client replaying it afterwards reads it, and that
 * replay against what the API holds: every change of the scenario reached every client at least once, each entity's
 * changes in seq order once repeats are dropped, and the replay holds every acknowledged message and each order's
 * final version.
 */
public final class FeedChecker {
    public static final String MISSED = "committed change never reached a live client";
    public static final String OUT_OF_ORDER = "an entity's changes arrived out of seq order";
    public static final String REPLAY_INCOMPLETE = "the replayed feed lacks a stored change";

    private FeedChecker() {
    }

    /** What the scenario made: its messages (by wamid) and its orders (id to final version). */
    public record Made(Set<String> acknowledgedWamids, Set<String> allWamids, Map<Long, Integer> finalVersions) {
        boolean owns(JsonNode m) {
            return switch (m.path("type").asText()) {
                case "message" -> allWamids.contains(m.path("message").path("external_id").asText());
                case "order" -> finalVersions.containsKey(m.path("order").path("shopify_order_id").asLong());
                default -> false;
            };
        }
    }

    /**
     * The verdict, and how many changes clients got more than once: allowed (the feed is at-least-once), so they are a
     * figure for the report, not duplicates in the verdict's sense of an effect applied twice.
     */
    public record Result(Verdict verdict, long repeats) {
    }

    public static Result check(Made made, List<JsonNode> replay, Map<String, List<JsonNode>> clients) {
        Findings findings = new Findings();
        Map<Long, String> changes = new LinkedHashMap<>();
        Set<String> replayedWamids = new HashSet<>();
        Map<Long, Set<Integer>> replayedVersions = new HashMap<>();
        for (JsonNode m : replay) {
            if (!made.owns(m)) {
                continue;
            }
            changes.put(m.path("seq").asLong(), entity(m));
            if (m.path("type").asText().equals("message")) {
                replayedWamids.add(m.path("message").path("external_id").asText());
            } else {
                replayedVersions.computeIfAbsent(m.path("order").path("shopify_order_id").asLong(), k -> new HashSet<>())
                        .add(m.path("order").path("version").asInt());
            }
        }
        long lost = 0;
        for (String wamid : made.acknowledgedWamids()) {
            if (!replayedWamids.contains(wamid)) {
                lost++;
                findings.add(REPLAY_INCOMPLETE, "acknowledged message " + wamid);
            }
        }
        made.finalVersions().forEach((order, version) -> {
            if (!replayedVersions.getOrDefault(order, Set.of()).contains(version)) {
                findings.add(REPLAY_INCOMPLETE, "order " + order + " at its final version " + version);
            }
        });
        long repeats = 0;
        for (var client : clients.entrySet()) {
            Map<String, Long> lastSeq = new HashMap<>();
            Set<Long> seen = new HashSet<>();
            for (JsonNode m : client.getValue()) {
                long seq = m.path("seq").asLong();
                if (!made.owns(m)) {
                    continue;
                }
                if (!seen.add(seq)) {
                    repeats++;
                    continue;
                }
                Long before = lastSeq.put(entity(m), seq);
                if (before != null && before > seq) {
                    findings.add(OUT_OF_ORDER, client.getKey() + ": " + entity(m) + " seq " + seq + " after " + before);
                }
            }
            for (var change : changes.entrySet()) {
                if (!seen.contains(change.getKey())) {
                    lost++;
                    findings.add(MISSED, client.getKey() + ": seq " + change.getKey() + " (" + change.getValue() + ")");
                }
            }
        }
        return new Result(findings.verdict(changes.size(), changes.size(), changes.size(), 0, lost, 0), repeats);
    }

    private static String entity(JsonNode m) {
        return m.path("type").asText().equals("message")
                ? "message " + m.path("message").path("external_id").asText()
                : "order " + m.path("order").path("shopify_order_id").asLong();
    }
}
