package io.steadfast.outbound;

import java.time.Instant;

/** A message a business sends, as stored. */
public record OutboundMessage(long id, long businessId, String channel, String sender, String recipient, String subject,
                              String body, OutboundStatus status, String providerMessageId, String errorCode,
                              String errorMessage, int attempts, Long conversationId, Instant createdAt,
                              Instant updatedAt) {
}
