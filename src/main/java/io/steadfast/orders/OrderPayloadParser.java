package io.steadfast.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads a Shopify order object (the body of an {@code orders/*} webhook, or one order of the Admin API) and
 * rejects, naming the field at fault, anything Steadfast could not store: a missing id or updated_at, a price
 * that is not a non-negative decimal, a timestamp that is not ISO-8601.
 */
public final class OrderPayloadParser {

    private OrderPayloadParser() {
    }

    public static JsonNode readObject(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw invalid("the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw invalid("the body must be a Shopify order: a JSON object with \"id\" and \"updated_at\"");
        }
        return root;
    }

    public static OrderSnapshot parse(JsonNode order) {
        JsonNode id = order.get("id");
        if (id == null || !id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() <= 0) {
            throw invalid("\"id\" must be the order's positive whole-number id, got " + describe(id));
        }
        Instant updatedAt = requiredTime(order, "updated_at");
        Instant createdAt = optionalTime(order, "created_at");
        JsonNode lineItems = order.path("line_items");
        if (!lineItems.isMissingNode() && !lineItems.isNull() && !lineItems.isArray()) {
            throw invalid("\"line_items\" must be an array, got " + describe(lineItems));
        }
        JsonNode customer = order.get("customer");
        if (customer != null && !customer.isNull() && !customer.isObject()) {
            throw invalid("\"customer\" must be an object or null, got " + describe(customer));
        }
        String currency = optionalText(order, "currency");
        if (currency == null || currency.isBlank()) {
            throw invalid("\"currency\" must be the order's currency code, got " + describe(order.get("currency")));
        }
        return new OrderSnapshot(id.asLong(), optionalText(order, "name"), optionalText(order, "email"),
                optionalText(order, "financial_status"), optionalText(order, "fulfillment_status"),
                optionalTime(order, "cancelled_at"), optionalText(order, "cancel_reason"), currency,
                requiredMoney(order, "total_price"), optionalMoney(order.get("subtotal_price"), "subtotal_price"),
                optionalMoney(order.get("total_tax"), "total_tax"), shippingFee(order),
                lineItems.isArray() ? lineItems.toString() : "[]",
                customer == null || customer.isNull() ? null : customer.toString(),
                createdAt == null ? updatedAt : createdAt, updatedAt);
    }

    /** The shipping lines' prices added up, or the order's total shipping price when it has no lines. */
    private static BigDecimal shippingFee(JsonNode order) {
        JsonNode lines = order.get("shipping_lines");
        if (lines != null && lines.isArray() && !lines.isEmpty()) {
            BigDecimal total = BigDecimal.ZERO;
            for (int i = 0; i < lines.size(); i++) {
                BigDecimal price = optionalMoney(lines.get(i).get("price"), "shipping_lines[" + i + "].price");
                total = total.add(price == null ? BigDecimal.ZERO : price);
            }
            return total;
        }
        return optionalMoney(order.at("/total_shipping_price_set/shop_money/amount").isMissingNode() ? null
                : order.at("/total_shipping_price_set/shop_money/amount"), "total_shipping_price_set.shop_money.amount");
    }

    private static BigDecimal requiredMoney(JsonNode order, String field) {
        BigDecimal value = optionalMoney(order.get(field), field);
        if (value == null) {
            throw invalid("\"" + field + "\" is required: the amount as a decimal string, like \"19.99\"");
        }
        return value;
    }

    private static BigDecimal optionalMoney(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw invalid("\"" + path + "\" must be a decimal amount like \"19.99\", got " + describe(node));
        }
        try {
            BigDecimal value = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().trim());
            if (value.signum() < 0) {
                throw invalid("\"" + path + "\" must not be negative, got " + node);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid("\"" + path + "\" must be a decimal amount like \"19.99\", got " + describe(node));
        }
    }

    private static Instant requiredTime(JsonNode order, String field) {
        Instant value = optionalTime(order, field);
        if (value == null) {
            throw invalid("\"" + field + "\" is required: an ISO-8601 time like \"2026-01-31T10:00:00-05:00\"");
        }
        return value;
    }

    private static Instant optionalTime(JsonNode order, String field) {
        JsonNode node = order.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid("\"" + field + "\" must be an ISO-8601 time string, got " + describe(node));
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("\"" + field + "\" must be an ISO-8601 time like \"2026-01-31T10:00:00-05:00\", got "
                    + describe(node));
        }
    }

    private static String optionalText(JsonNode order, String field) {
        JsonNode node = order.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid("\"" + field + "\" must be a string or null, got " + describe(node));
        }
        return node.asText();
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException("invalid_payload", 400, message);
    }
}
