package io.steadfast.outbound;

import java.time.Duration;
import java.util.Optional;

/** What one provider call came to. */
public sealed interface SendOutcome {
    /** The provider took the message and named it. */
    record Sent(String providerMessageId) implements SendOutcome {
    }

    /** The provider refused the message for good (invalid number, blocked, bad address). */
    record Rejected(String code, String message) implements SendOutcome {
    }

    /**
     * The provider did not take the message and said so, or was never reached: it may be sent again. {@code refusal}:
     * the provider was asked and refused (it counts toward failing the message); not when its circuit was open.
     */
    record NotSent(String reason, Optional<Duration> retryAfter, boolean refusal) implements SendOutcome {
        public NotSent(String reason, Optional<Duration> retryAfter) {
            this(reason, retryAfter, true);
        }
    }

    /** The request may have reached the provider, but its answer never reached us: it must not be sent again. */
    record NoAnswer(String reason) implements SendOutcome {
    }
}
