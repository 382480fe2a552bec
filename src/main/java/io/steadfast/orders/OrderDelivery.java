package io.steadfast.orders;

import java.time.Instant;

/** One delivery of an order: the snapshot it carries and where it came from, for the state and the audit log. */
public record OrderDelivery(long businessId, String shopDomain, OrderSnapshot order, long inboxEventId,
                            String webhookId, String eventId, String topic, Instant triggeredAt) {
}
