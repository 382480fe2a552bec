package io.steadfast.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.Observation.StoredEvent;
import io.steadfast.chaos.Observation.StoredMessage;
import io.steadfast.chaos.scenario.CheckerSelfTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker fails when a promise is broken, and only then. */
class CheckerTest {
    static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void the_self_test_catches_every_planted_violation_and_raises_no_false_alarm() {
        Verdict verdict = new CheckerSelfTest().run(null);

        assertThat(verdict.violations()).isEmpty();
    }

    @Test
    void an_uncertain_event_may_be_absent_or_stored_once_but_never_twice() {
        History history = new History();
        history.invoke(0, "d1", List.of("absent")).info(503, "database unavailable");
        history.invoke(0, "d2", List.of("once")).info(0, "timeout");
        history.invoke(0, "d3", List.of("twice")).info(0, "connection reset");

        Verdict verdict = Checker.check(history, Expectations.none(), new Observation(List.of(
                new StoredEvent(1, "p", "once", "done", null),
                new StoredEvent(2, "p", "twice", "done", null),
                new StoredEvent(3, "p", "twice", "done", null)),
                Map.of("once", List.of(message("once")), "twice", List.of(message("twice"))), List.of()));

        assertThat(verdict.violations()).containsOnlyKeys(Checker.DUPLICATE_EVENT);
        assertThat(verdict.acknowledged()).isZero();
        assertThat(verdict.stored()).isEqualTo(2);
        assertThat(verdict.duplicates()).isEqualTo(1);
    }

    @Test
    void an_event_acknowledged_on_a_retry_counts_as_acknowledged_and_must_be_stored() {
        History history = new History();
        history.invoke(0, "d1", List.of("m1")).info(500, "injected");
        history.invoke(0, "d1", List.of("m1")).ok(200);

        Verdict verdict = Checker.check(history, Expectations.none(), new Observation(List.of(), Map.of(), List.of()));

        assertThat(verdict.acknowledged()).isEqualTo(1);
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.violations()).containsOnlyKeys(Checker.LOST);
        assertThat(verdict.examples()).singleElement().asString().contains("m1");
    }

    private static StoredMessage message(String wamid) {
        return new StoredMessage(wamid, 1, "received", T);
    }
}
