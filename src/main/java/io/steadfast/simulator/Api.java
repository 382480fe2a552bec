package io.steadfast.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.error.SteadfastException;
import io.steadfast.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Steadfast's HTTP API as the chaos suite reads it: JSON, bearer token, cursor pages. */
public final class Api {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public Api(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** An answer that was not a 2xx, or none at all (status 0). */
    public static final class ApiException extends SteadfastException {
        private final int status;

        ApiException(int status, String message) {
            super("remote_api", status == 0 ? 502 : status, message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public URI base() {
        return base;
    }

    public String token() {
        return token;
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public JsonNode post(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    /** A request whose answer, whatever its status, is returned as it came: status, headers and body. */
    public HttpResponse<String> exchange(String method, String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException(0, "cannot reach " + base + " (" + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }

    /** This deployment, with another credential. */
    public Api as(String credential) {
        return new Api(base, credential);
    }

    /** Every item of a list endpoint, following {@code next_cursor} to the end; pages of 1,000 unless {@code limit}. */
    public List<JsonNode> all(String path, Map<String, String> query) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            StringBuilder url = new StringBuilder(path).append("?limit=").append(query.getOrDefault("limit", "1000"));
            query.forEach((k, v) -> {
                if (!k.equals("limit")) {
                    url.append('&').append(k).append('=').append(encode(v));
                }
            });
            if (cursor != null) {
                url.append("&cursor=").append(encode(cursor));
            }
            JsonNode page = get(url.toString());
            page.path("items").forEach(items::add);
            cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return items;
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode send(HttpRequest.Builder request) {
        request.timeout(TIMEOUT).header("Authorization", "Bearer " + token);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(response.body());
            if (response.statusCode() / 100 != 2) {
                throw new ApiException(response.statusCode(), response.statusCode() + " from "
                        + request.build().uri().getPath() + ": " + body.path("message").asText(response.body()));
            }
            return body;
        } catch (IOException e) {
            throw new ApiException(0, "cannot reach " + base + " (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()) + "): is Steadfast running there?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }
}
