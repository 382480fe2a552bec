package io.steadfast.inbox;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Puts a failed event back to pending for a later attempt: exponential back-off with jitter. */
final class Rescheduler {
    public static final double BACKOFF_MULTIPLIER = 2.0;
    public static final double BACKOFF_JITTER = 0.5;
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private static final String RESCHEDULE_FAILED = """
            UPDATE inbox_event
            SET status = 'pending', next_attempt_at = :next_attempt_at, last_error = :error,
                lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
            WHERE id = :id AND lease_token = :token
            """;

    private final Jdbi jdbi;
    private final IntervalFunction backoff;

    Rescheduler(Jdbi jdbi, Duration initialBackoff) {
        this.jdbi = jdbi;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(initialBackoff, BACKOFF_MULTIPLIER,
                BACKOFF_JITTER, MAX_BACKOFF);
    }

    /** Returns false when the lease was no longer ours (another worker has the event). */
    boolean rescheduleFailed(InboxEvent event, UUID token, Instant now, String error) {
        Instant next = now.plusMillis(backoff.apply(Math.max(1, event.attempts())));
        return jdbi.withHandle(h -> h.createUpdate(RESCHEDULE_FAILED)
                .bind("id", event.id())
                .bind("token", token)
                .bind("next_attempt_at", next)
                .bind("error", error)
                .execute()) == 1;
    }
}
