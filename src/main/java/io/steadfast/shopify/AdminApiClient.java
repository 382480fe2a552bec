package io.steadfast.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.steadfast.orders.OrderPayloadParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads orders from the Shopify Admin REST API, oldest change first, following the {@code Link: rel="next"}
 * pages. A 429 or 5xx is retried with exponential back-off (Resilience4j); anything else ends the run with the
 * status and what Shopify said.
 */
public final class AdminApiClient {
    public static final String API_VERSION = "2025-01";
    public static final int PAGE_SIZE = 250;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"?next\"?");

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Retry retry;

    public AdminApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
        this.retry = Retry.of("shopify-admin", RetryConfig.custom()
                .maxAttempts(5)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(500), 2.0, 0.3))
                .retryExceptions(Transient.class, IOException.class, UncheckedIOException.class)
                .build());
    }

    /** The Admin API of {@code shop}, or the one at {@code baseUrl} (a stand-in, in tests and the chaos suite). */
    public static AdminApiClient forShop(String shop, Optional<String> baseUrl, String token) {
        return new AdminApiClient(URI.create(baseUrl.filter(u -> !u.isBlank()).orElse("https://" + shop)), token);
    }

    /** A page of orders and the address of the next one, if any. */
    public record Page(List<JsonNode> orders, Optional<URI> next, byte[] body) {
    }

    /** The first page of orders changed at or after {@code since}. */
    public Page firstPage(Instant since) {
        return page(base.resolve("/admin/api/" + API_VERSION + "/orders.json?status=any&order=updated_at%20asc&limit="
                + PAGE_SIZE + "&updated_at_min=" + since));
    }

    /** A page at {@code uri}, which must be on the shop's own host: the admin token goes nowhere else. */
    public Page page(URI uri) {
        if (!sameOrigin(uri, base)) {
            throw new IllegalStateException("the Shopify Admin API pointed the next page at " + uri.getScheme() + "://"
                    + uri.getAuthority() + ", not the shop's " + base.getScheme() + "://" + base.getAuthority()
                    + "; refused, so the admin token is not sent there");
        }
        return Retry.decorateSupplier(retry, () -> fetch(uri)).get();
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private Page fetch(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("X-Shopify-Access-Token", token)
                .header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the Shopify Admin API at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new Transient("the Shopify Admin API answered " + status + " for " + uri.getPath());
        }
        if (status != 200) {
            throw new IllegalStateException("the Shopify Admin API answered " + status + " for " + uri
                    + (status == 401 || status == 403 ? ": check the admin token and its read_orders scope" : "")
                    + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        JsonNode root = OrderPayloadParser.readObject(response.body());
        List<JsonNode> orders = new ArrayList<>();
        root.path("orders").forEach(orders::add);
        Optional<URI> next = response.headers().firstValue("Link").flatMap(link -> {
            Matcher m = NEXT.matcher(link);
            return m.find() ? Optional.of(URI.create(m.group(1))) : Optional.empty();
        });
        return new Page(orders, next, response.body());
    }

    /** A failure worth another try. */
    static final class Transient extends RuntimeException {
        Transient(String message) {
            super(message);
        }
    }
}
