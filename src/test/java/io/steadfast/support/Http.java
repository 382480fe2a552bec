package io.steadfast.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steadfast.whatsapp.Signature;
import io.steadfast.whatsapp.WhatsApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP over loopback to a running node: signed webhooks the way Meta sends them, and the bearer API. */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Signature signature;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
            .build();

    public Http(int port) {
        this(port, TestNodes.APP_SECRET);
    }

    public Http(int port, String appSecret) {
        this.base = "http://127.0.0.1:" + port;
        this.signature = new Signature(appSecret);
    }

    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** Posts a correctly signed WhatsApp notification. */
    public Response postWebhook(byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + "/webhooks/whatsapp"))
                .header("Content-Type", "application/json")
                .header(WhatsApp.SIGNATURE_HEADER, signature.sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Posts like Meta: again and again until the server answers 200; returns how many attempts it took. */
    public int postWebhookUntilAcknowledged(byte[] body, Duration patience) {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        org.awaitility.Awaitility.await().atMost(patience).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    attempts.incrementAndGet();
                    try {
                        return postWebhook(body).status() == 200;
                    } catch (UncheckedIOException e) {
                        return false;
                    }
                });
        return attempts.get();
    }

    public Response post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** GET with the API token. */
    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TestNodes.API_TOKEN).GET());
    }

    /**
     * A Shopify webhook signed with the test secret; {@code headers} are name, value pairs (the topic, shop domain,
     * webhook id and any others the test wants).
     */
    public Response postShopify(byte[] body, String... headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = io.steadfast.shopify.Shopify.HMAC_HEADER;
        all[headers.length + 1] = new io.steadfast.shopify.ShopifySignature(TestNodes.SHOPIFY_SECRET).sign(body);
        return post("/webhooks/shopify", "application/json", body, all);
    }

    /** DELETE with the API token. */
    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TestNodes.API_TOKEN).DELETE());
    }

    /** Any method on any path with an empty body; {@code authorization} is the header's value, or null for none. */
    public Response call(String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    /** Any method with a JSON body (or none, when null) and a bearer credential (or none, when null). */
    public Response api(String method, String path, String json, String credential) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return send(request);
    }

    public Response getWithToken(String path, String token) {
        return call("GET", path, "Bearer " + token);
    }

    /** A POST whose body is sent chunked, its length not announced. */
    public Response postChunked(String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    public Response getWithoutToken(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response postApi(String path, String json) {
        return post(path, "application/json", json.getBytes(), "Authorization", "Bearer " + TestNodes.API_TOKEN);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
