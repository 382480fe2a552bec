package io.steadfast.inbox;

import java.time.Duration;

/** How a worker claims and retries: the first retry waits {@code retryBackoff}, each later one about twice as long. */
public record WorkerSettings(int batchSize, Duration lease, int maxAttempts, Duration pollInterval,
                            Duration retryBackoff) {
}
