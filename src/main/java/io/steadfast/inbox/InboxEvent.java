package io.steadfast.inbox;

import java.time.Instant;

/**
 * An event as a worker holds it: claimed under a lease, with the attempt this claim counts as. An event stored with a
 * payload of its own has it in {@code payload}; one stored as its request (a WhatsApp notification) has a null
 * payload and the request's exact body in {@code body}, which its handler reads the event from.
 */
public record InboxEvent(
        long id,
        String source,
        String partitionKey,
        String dedupKey,
        String eventType,
        String payload,
        int attempts,
        Instant receivedAt,
        byte[] body) {

    /** An event with a payload of its own. */
    public InboxEvent(long id, String source, String partitionKey, String dedupKey, String eventType, String payload,
                      int attempts, Instant receivedAt) {
        this(id, source, partitionKey, dedupKey, eventType, payload, attempts, receivedAt, null);
    }
}
