package io.steadfast.retention;

import java.time.Duration;
import java.util.Optional;

/**
 * How long each kind of row is kept. {@code events}: done inbox events and the raw requests that carried them (never
 * below {@link #MIN_EVENTS}, the longest a provider retries, so a redelivery after pruning is still a duplicate);
 * {@code changeLog}: what a live client may replay; {@code audit}: order audit rows, kept for ever when empty;
 * {@code idempotencyKeys}: the stored answers to Idempotency-Keys (never below {@link #MIN_IDEMPOTENCY_KEYS}).
 */
public record Retention(Duration events, Duration changeLog, Optional<Duration> audit, Duration idempotencyKeys) {
    /** Meta retries a webhook for up to 7 days; Shopify for 48 hours. */
    public static final Duration MIN_EVENTS = Duration.ofDays(7);
    public static final int DEFAULT_EVENT_DAYS = 30;
    public static final int DEFAULT_CHANGE_LOG_HOURS = 24;
    /** A client retrying a request for a day still gets the first answer. */
    public static final Duration MIN_IDEMPOTENCY_KEYS = Duration.ofHours(24);
    public static final int DEFAULT_IDEMPOTENCY_KEY_HOURS = 72;

    public Retention(Duration events, Duration changeLog, Optional<Duration> audit) {
        this(events, changeLog, audit, Duration.ofHours(DEFAULT_IDEMPOTENCY_KEY_HOURS));
    }
}
