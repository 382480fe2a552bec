package io.steadfast.orders;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An order as one Shopify payload describes it. Money stays as the decimal Shopify sent, in {@code currency}.
 * {@code lineItems} and {@code customer} are JSON kept as sent.
 */
public record OrderSnapshot(long shopifyOrderId, String name, String email, String financialStatus,
                            String fulfillmentStatus, Instant cancelledAt, String cancelReason, String currency,
                            BigDecimal totalPrice, BigDecimal subtotalPrice, BigDecimal totalTax, BigDecimal shippingFee,
                            String lineItems, String customer, Instant placedAt, Instant updatedAt) {
}
