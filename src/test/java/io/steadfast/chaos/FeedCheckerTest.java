package io.steadfast.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The feed checker fails when a live client misses a change or gets an entity's changes out of order, and only then. */
class FeedCheckerTest {
    static final FeedChecker.Made MADE = new FeedChecker.Made(Set.of("wamid.a", "wamid.b"), Set.of("wamid.a", "wamid.b"),
            Map.of(7L, 2));
    static final List<JsonNode> REPLAY = List.of(message(10, "wamid.a"), order(11, 7, 1), message(12, "wamid.b"),
            order(13, 7, 2));

    @Test
    void clients_with_every_change_pass_however_often_they_got_one_and_whatever_else_they_saw() {
        List<JsonNode> withRepeats = List.of(message(10, "wamid.a"), order(11, 7, 1), message(10, "wamid.a"),
                message(12, "wamid.b"), message(99, "wamid.someone-else"), order(11, 7, 1), order(13, 7, 2));

        FeedChecker.Result result = FeedChecker.check(MADE, REPLAY, Map.of("one", REPLAY, "two", withRepeats));

        assertThat(result.verdict().violations()).isEmpty();
        assertThat(result.verdict().events()).isEqualTo(4);
        assertThat(result.verdict().duplicates()).as("a repeat is allowed, not a duplicate effect").isZero();
        assertThat(result.repeats()).isEqualTo(2);
    }

    @Test
    void a_client_that_missed_a_change_fails() {
        Verdict verdict = FeedChecker.check(MADE, REPLAY, Map.of("one", REPLAY.subList(0, 3))).verdict();

        assertThat(verdict.violations()).containsOnlyKeys(FeedChecker.MISSED);
        assertThat(verdict.examples()).singleElement().asString().contains("seq 13");
    }

    @Test
    void an_entity_whose_changes_arrive_out_of_seq_order_fails() {
        List<JsonNode> swapped = List.of(message(10, "wamid.a"), order(13, 7, 2), order(11, 7, 1), message(12, "wamid.b"));

        Verdict verdict = FeedChecker.check(MADE, REPLAY, Map.of("one", swapped)).verdict();

        assertThat(verdict.violations()).containsOnlyKeys(FeedChecker.OUT_OF_ORDER);
    }

    @Test
    void a_replay_without_an_acknowledged_message_or_an_order_final_version_fails() {
        List<JsonNode> replay = List.of(message(10, "wamid.a"), order(11, 7, 1));

        Verdict verdict = FeedChecker.check(MADE, replay, Map.of("one", replay)).verdict();

        assertThat(verdict.violations()).containsEntry(FeedChecker.REPLAY_INCOMPLETE, 2L).hasSize(1);
    }

    private static JsonNode message(long seq, String wamid) {
        return Json.parse("{\"type\":\"message\",\"seq\":" + seq + ",\"cursor\":" + (seq - 1)
                + ",\"message\":{\"external_id\":\"" + wamid + "\"}}");
    }

    private static JsonNode order(long seq, long id, int version) {
        return Json.parse("{\"type\":\"order\",\"seq\":" + seq + ",\"cursor\":" + (seq - 1)
                + ",\"order\":{\"shopify_order_id\":" + id + ",\"version\":" + version + "}}");
    }
}
