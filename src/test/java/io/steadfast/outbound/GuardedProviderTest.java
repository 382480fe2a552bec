package io.steadfast.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A provider that keeps failing is left alone for a while; its messages wait instead of failing. */
class GuardedProviderTest {
    static final OutboundMessage MESSAGE = new OutboundMessage(1, 1, "whatsapp", "1", "+15550001111", null, "hi",
            OutboundStatus.SENDING, null, null, null, 0, null, Instant.EPOCH, Instant.EPOCH);

    @Test
    void twenty_failures_open_the_circuit_and_then_nothing_is_called_and_nothing_counts_as_refused() {
        AtomicInteger calls = new AtomicInteger();
        GuardedProvider guarded = new GuardedProvider("test", m -> {
            calls.incrementAndGet();
            return new SendOutcome.NotSent("503", Optional.empty());
        });
        for (int i = 0; i < 20; i++) {
            assertThat(guarded.send(MESSAGE)).isInstanceOfSatisfying(SendOutcome.NotSent.class,
                    n -> assertThat(n.refusal()).isTrue());
        }
        assertThat(guarded.state()).isEqualTo(CircuitBreaker.State.OPEN);

        SendOutcome waiting = guarded.send(MESSAGE);
        assertThat(waiting).isInstanceOfSatisfying(SendOutcome.NotSent.class, n -> {
            assertThat(n.refusal()).isFalse();
            assertThat(n.retryAfter()).hasValue(GuardedProvider.OPEN_FOR);
            assertThat(n.reason()).contains("circuit is open");
        });
        assertThat(calls).hasValue(20);
    }

    @Test
    void a_provider_refusing_single_messages_for_good_keeps_its_circuit_closed() {
        GuardedProvider guarded = new GuardedProvider("test", m -> new SendOutcome.Rejected("131026", "not a user"));
        for (int i = 0; i < 50; i++) {
            guarded.send(MESSAGE);
        }
        assertThat(guarded.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
