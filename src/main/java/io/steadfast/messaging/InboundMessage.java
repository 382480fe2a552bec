package io.steadfast.messaging;

import java.time.Instant;

/**
 * A message a customer sent, as the handler read it from its event. {@code arrivalSeq} is the inbox event id:
 * it orders messages that carry the same provider timestamp.
 */
public record InboundMessage(
        Channel channel,
        String customerWaId,
        String customerName,
        String externalId,
        String type,
        String text,
        String rawJson,
        Instant providerTimestamp,
        long arrivalSeq) {
}
