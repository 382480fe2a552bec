package io.steadfast.messaging;

/** A provider account (a WhatsApp business phone number, a Shopify shop) and the business it belongs to. */
public record Channel(long id, long businessId, String kind, String accountId, String displayName) {
}
