package io.steadfast.inbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A webhook request exactly as it arrived: kept with its events so any of them can be audited or re-verified. */
public record IncomingRequest(UUID id, String source, Map<String, String> headers, byte[] body, Instant receivedAt) {
}
