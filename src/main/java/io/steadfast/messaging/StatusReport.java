package io.steadfast.messaging;

import java.time.Instant;

/** A delivery status the provider reported for one message. {@code errorsJson} is null unless it failed. */
public record StatusReport(
        Channel channel,
        String externalId,
        String status,
        String recipientId,
        String errorsJson,
        Instant providerTimestamp,
        long arrivalSeq) {

    public int rank() {
        return MessageStatus.rankOf(status);
    }
}
