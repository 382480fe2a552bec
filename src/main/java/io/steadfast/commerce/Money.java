package io.steadfast.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.error.InvalidRequestException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/**
 * Money as the API speaks it, a decimal string with its currency ({@code "12.50"}, {@code "USD"}), and as it is
 * stored: integer minor units of an ISO 4217 currency.
 */
public final class Money {
    /** The largest amount one request may move, in major units: far above any real payment, far below overflow. */
    static final BigDecimal MAX = new BigDecimal("1000000000");

    private Money() {
    }

    /** An ISO 4217 code with minor units; anything else is a 422 naming {@code field}. */
    public static String currency(String field, String code) {
        String upper = code == null ? "" : code.trim().toUpperCase(Locale.ROOT);
        try {
            if (upper.matches("[A-Z]{3}") && Currency.getInstance(upper).getDefaultFractionDigits() >= 0) {
                return upper;
            }
        } catch (IllegalArgumentException e) {
            // not a currency
        }
        throw invalid(field, "must be an ISO 4217 currency code such as \"USD\", got \"" + code + "\"");
    }

    /**
     * A positive amount in {@code currency}, as minor units: a decimal string (a JSON number is taken too) with no more
     * decimals than the currency has. Anything else is a 422 naming {@code field}.
     */
    public static long positive(String field, JsonNode value, String currency) {
        if (value == null || value.isNull() || !(value.isTextual() || value.isNumber())) {
            throw invalid(field, "is required: a decimal string such as \"12.50\"");
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            throw invalid(field, "must be a decimal number such as \"12.50\", got \"" + value.asText() + "\"");
        }
        int decimals = Currency.getInstance(currency).getDefaultFractionDigits();
        if (amount.signum() <= 0) {
            throw invalid(field, "must be more than zero, got " + amount.toPlainString());
        }
        if (amount.stripTrailingZeros().scale() > decimals) {
            throw invalid(field, "has more decimals than " + currency + " has (" + decimals + "): "
                    + amount.toPlainString());
        }
        if (amount.compareTo(MAX) > 0) {
            throw invalid(field, "is over the largest amount one request may move (" + MAX.toPlainString() + ")");
        }
        return amount.movePointRight(decimals).longValueExact();
    }

    /** Minor units as the API shows them: {@code 1250} USD is {@code "12.50"}. */
    public static String format(long minor, String currency) {
        return BigDecimal.valueOf(minor, Currency.getInstance(currency).getDefaultFractionDigits()).toPlainString();
    }

    static InvalidRequestException invalid(String field, String problem) {
        return new InvalidRequestException("invalid_amount", 422, field + " " + problem + "; nothing was written");
    }
}
