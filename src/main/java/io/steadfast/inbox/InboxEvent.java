package io.steadfast.inbox;

import java.time.Instant;

/** An event as a worker holds it: claimed under a lease, with the attempt this claim counts as. */
public record InboxEvent(
        long id,
        String source,
        String partitionKey,
        String dedupKey,
        String eventType,
        String payload,
        int attempts,
        Instant receivedAt) {
}
