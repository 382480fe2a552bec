package io.steadfast.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.steadfast.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shipping quotes from the business's rate service, asked while an order is placed and before its transaction. The
 * call has a time limit and sits behind a circuit breaker; a failure, a timeout, an open breaker or an answer that is
 * not one sensible amount in the order's currency gives the configured fallback rate, with the reason. A quote never
 * fails an order and never takes longer than the time limit.
 *
 * <p>The breaker is tuned for checkout volumes, where each failed call costs a shopper up to the time limit: when half
 * of the last 20 quotes (at least 10) failed (an error, a timeout, a bad answer) it opens for {@code openFor}, whatever
 * the traffic, so a busy store stops waiting within a few checkouts and a quiet one is not tripped by one bad minute;
 * then 3 trial calls decide whether it closes.
 */
public final class ShippingQuotes {
    public static final String RATES = "rates";
    public static final String FALLBACK = "fallback";

    /** What an order pays for shipping, where the figure came from, and why it fell back. */
    public record Quote(long amount, String source, Optional<String> reason) {
    }

    /** The settings: the rate service (none: always the fallback), its time limit, the fallback and largest rates. */
    public record Settings(Optional<URI> ratesUrl, Duration timeout, BigDecimal fallbackRate, BigDecimal maxRate,
                           Duration openFor) {
    }

    private final Settings settings;
    private final HttpClient http;
    private final CircuitBreaker breaker;

    public ShippingQuotes(Settings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout()).build();
        this.breaker = CircuitBreaker.of("shipping", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordExceptions(Exception.class)
                .build());
    }

    /** The breaker's state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}), for health. */
    public String breakerState() {
        return breaker.getState().name();
    }

    /** A quote for the lines (with their unit prices), never failing: the fallback rate says why when it is used. */
    public Quote quote(String currency, List<Map<String, Object>> items, long subtotal, Optional<JsonNode> address) {
        if (settings.ratesUrl().isEmpty()) {
            return fallback(currency, "no rate service is configured (STEADFAST_SHIPPING_RATES_URL)");
        }
        Map<String, Object> ask = new LinkedHashMap<>();
        ask.put("currency", currency);
        ask.put("subtotal", Money.format(subtotal, currency));
        ask.put("items", items);
        ask.put("shipping_address", address.orElse(null));
        try {
            long amount = breaker.executeCallable(() -> ask(currency, Json.write(ask)));
            return new Quote(amount, RATES, Optional.empty());
        } catch (CallNotPermittedException e) {
            return fallback(currency, "the rate service failed too often lately (circuit open)");
        } catch (HttpTimeoutException e) {
            return fallback(currency, "the rate service did not answer within " + settings.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback(currency, "interrupted while asking the rate service");
        } catch (Exception e) {
            return fallback(currency, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private long ask(String currency, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(settings.ratesUrl().get()).timeout(settings.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            if (e instanceof HttpTimeoutException) {
                throw e;
            }
            throw new IllegalStateException("cannot reach the rate service: " + e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the rate service answered " + response.statusCode());
        }
        return amount(response.body(), currency);
    }

    /** The one amount of a good answer, {@code {"amount": "4.99", "currency": "EUR"}}, in minor units. */
    long amount(String body, String currency) {
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("the rate service's answer is not JSON");
        }
        if (answer == null || !answer.isObject() || !answer.path("currency").isTextual()
                || !(answer.path("amount").isTextual() || answer.path("amount").isNumber())) {
            throw new IllegalStateException("the rate service's answer is not {\"amount\", \"currency\"}: " + abbreviated(body));
        }
        if (!answer.path("currency").asText().equals(currency)) {
            throw new IllegalStateException("the rate service quoted in " + abbreviated(answer.path("currency").asText())
                    + ", not " + currency);
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(answer.path("amount").asText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the rate service's amount is not a number: "
                    + abbreviated(answer.path("amount").asText()));
        }
        int decimals = Currency.getInstance(currency).getDefaultFractionDigits();
        if (amount.signum() < 0 || amount.compareTo(settings.maxRate()) > 0 || amount.stripTrailingZeros().scale() > decimals) {
            throw new IllegalStateException("the rate service's amount " + abbreviated(amount.toPlainString())
                    + " is not a rate (0 to " + settings.maxRate().toPlainString() + ", " + decimals + " decimals)");
        }
        return amount.movePointRight(decimals).longValueExact();
    }

    private Quote fallback(String currency, String reason) {
        int decimals = Currency.getInstance(currency).getDefaultFractionDigits();
        long amount = settings.fallbackRate().setScale(decimals, RoundingMode.HALF_UP).movePointRight(decimals)
                .longValueExact();
        return new Quote(amount, FALLBACK, Optional.of(reason));
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
