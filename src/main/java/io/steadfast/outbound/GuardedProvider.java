package io.steadfast.outbound;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * A provider behind a circuit breaker. A provider that keeps failing (5xx, refused connections, no answer) is not
 * called for a while: its messages wait, queued, and are not counted as refused. A provider's "no" to one message
 * (a 4xx) is that message's problem, not the provider's, and does not count.
 *
 * <p>The thresholds are for real volumes: over the last 10 s, at least 20 calls and half of them failing open the
 * circuit for 15 s; then 5 trial calls decide.
 */
public final class GuardedProvider implements Provider {
    public static final Duration OPEN_FOR = Duration.ofSeconds(15);

    private final Provider provider;
    private final CircuitBreaker breaker;

    public GuardedProvider(String name, Provider provider) {
        this(name, provider, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(20)
                .failureRateThreshold(50)
                .waitDurationInOpenState(OPEN_FOR)
                .permittedNumberOfCallsInHalfOpenState(5)
                .build());
    }

    GuardedProvider(String name, Provider provider, CircuitBreakerConfig config) {
        this.provider = provider;
        this.breaker = CircuitBreaker.of(name, config);
    }

    @Override
    public SendOutcome send(OutboundMessage message) {
        if (!breaker.tryAcquirePermission()) {
            return new SendOutcome.NotSent("the " + breaker.getName() + " circuit is open: the provider failed too often "
                    + "lately; the message waits", Optional.of(OPEN_FOR), false);
        }
        long start = System.nanoTime();
        SendOutcome outcome = provider.send(message);
        long took = System.nanoTime() - start;
        switch (outcome) {
            case SendOutcome.NotSent n -> breaker.onError(took, java.util.concurrent.TimeUnit.NANOSECONDS,
                    new IllegalStateException(n.reason()));
            case SendOutcome.NoAnswer n -> breaker.onError(took, java.util.concurrent.TimeUnit.NANOSECONDS,
                    new IllegalStateException(n.reason()));
            default -> breaker.onSuccess(took, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return outcome;
    }

    @Override
    public Optional<Report> lookUp(OutboundMessage message) {
        return provider.lookUp(message);
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }
}
