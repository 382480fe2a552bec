package io.steadfast.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges sent messages against the provider simulators' own logs of the calls they took:
 * <ul>
 * <li>no message reaches the provider twice (the promise that matters: a customer never gets a message twice);</li>
 * <li>every accepted message ends settled: {@code sent} (or further) with the one call's provider id, or {@code failed}
 * with a reason; {@code unknown} only where the scenario allows it;</li>
 * <li>no message is sent without a call, and every key was answered with one message.</li>
 * </ul>
 */
public final class SendChecker {
    public static final String SENT_TWICE = "reached the provider more than once";
    public static final String UNSETTLED = "accepted but not settled";
    public static final String PHANTOM = "marked sent without a provider call";
    public static final String SILENT = "failed without a reason";
    public static final String KEY_SPLIT = "one key answered with several messages";
    private static final Set<String> DONE = Set.of("sent", "delivered", "read");

    private SendChecker() {
    }

    /** What a scenario accepted: each key's answers (message ids), and the message as read back at the end. */
    public record Accepted(String key, List<Long> answeredIds, Optional<JsonNode> message) {
    }

    /** {@code calls}: what the providers took, from their own logs ({@link ProviderLogs}). */
    public static Verdict check(Collection<Accepted> accepted, List<ProviderLogs.Taken> calls, boolean unknownAllowed) {
        Map<Long, List<ProviderLogs.Taken>> taken = new HashMap<>();
        calls.forEach(c -> taken.computeIfAbsent(c.messageId(), k -> new java.util.ArrayList<>()).add(c));
        Findings findings = new Findings();
        long extraCalls = 0;
        long unsettled = 0;
        long stored = 0;
        for (Accepted a : accepted) {
            if (a.answeredIds().stream().distinct().count() > 1) {
                findings.add(KEY_SPLIT, a.key() + " was answered with messages " + a.answeredIds().stream().distinct().toList());
            }
            if (a.message().isEmpty()) {
                unsettled++;
                findings.add(UNSETTLED, a.key() + " was acknowledged but its message cannot be read back");
                continue;
            }
            stored++;
            JsonNode m = a.message().get();
            long id = m.path("id").asLong();
            String status = m.path("status").asText();
            List<ProviderLogs.Taken> own = taken.getOrDefault(id, List.of());
            if (own.size() > 1) {
                extraCalls += own.size() - 1;
                findings.add(SENT_TWICE, "message " + id + " (" + a.key() + ") reached the provider " + own.size() + " times");
            }
            if (DONE.contains(status)) {
                if (own.isEmpty() || !own.getFirst().providerMessageId().equals(m.path("provider_message_id").asText())) {
                    findings.add(PHANTOM, "message " + id + " is " + status + " as " + m.path("provider_message_id").asText()
                            + " but the provider took " + own.size() + " calls for it");
                }
            } else if (status.equals("failed")) {
                if (m.path("error").path("message").asText("").isBlank()) {
                    findings.add(SILENT, "message " + id + " failed with no reason");
                }
            } else if (!(status.equals("unknown") && unknownAllowed)) {
                unsettled++;
                findings.add(UNSETTLED, "message " + id + " (" + a.key() + ") ended " + status);
            }
        }
        return findings.verdict(accepted.size(), accepted.stream().filter(a -> !a.answeredIds().isEmpty()).count(),
                stored, extraCalls, unsettled, 0);
    }
}
