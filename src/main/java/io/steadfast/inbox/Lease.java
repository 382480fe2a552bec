package io.steadfast.inbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Events one claim took, all under one fencing token that every later change must present. */
record Lease(UUID token, Instant expiresAt, List<InboxEvent> events) {
    boolean isEmpty() {
        return events.isEmpty();
    }
}
