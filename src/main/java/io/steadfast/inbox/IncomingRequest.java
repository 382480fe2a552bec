package io.steadfast.inbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A webhook request exactly as it arrived: kept with its events so any of them can be audited or re-verified. */
public record IncomingRequest(UUID id, String source, Map<String, String> headers, byte[] body, Instant receivedAt) {

    /** A request with a new time-ordered id. */
    public static IncomingRequest of(String source, Map<String, String> headers, byte[] body, Instant receivedAt) {
        return new IncomingRequest(TimeOrderedIds.next(), source, headers, body, receivedAt);
    }
}
