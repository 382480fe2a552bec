package io.steadfast.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The WhatsApp Cloud API's send: {@code POST {base}/{phone_number_id}/messages} with the access token. Our message id
 * travels as {@code biz_opaque_callback_data}, so that a status webhook can name the message even when the answer
 * carrying its wamid was lost.
 */
public final class WhatsAppCloudApi implements Provider {
    private final URI base;
    private final String accessToken;
    private final Duration timeout;
    private final HttpClient http;

    public WhatsAppCloudApi(URI base, String accessToken, Duration timeout) {
        this.base = base;
        this.accessToken = accessToken;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public SendOutcome send(OutboundMessage m) {
        String body = Json.write(Map.of("messaging_product", "whatsapp", "recipient_type", "individual",
                "to", m.recipient().startsWith("+") ? m.recipient().substring(1) : m.recipient(), "type", "text",
                "text", Map.of("body", m.body()), "biz_opaque_callback_data", String.valueOf(m.id())));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + "/"
                        + m.sender() + "/messages"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new SendOutcome.NotSent("cannot connect to " + base.getHost() + ": " + e.getMessage(), Optional.empty());
        } catch (IOException e) { // sent, or partly sent, and no answer: the API may have taken it
            return new SendOutcome.NoAnswer("no answer from the WhatsApp Cloud API: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendOutcome.NoAnswer("interrupted while waiting for the WhatsApp Cloud API");
        }
        return outcome(response);
    }

    static SendOutcome outcome(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode json = parse(response.body());
        if (status / 100 == 2) {
            String wamid = json.path("messages").path(0).path("id").asText("");
            return wamid.isEmpty() ? new SendOutcome.NoAnswer("a 2xx without a message id: " + clip(response.body()))
                    : new SendOutcome.Sent(wamid);
        }
        JsonNode error = json.path("error");
        String text = error.path("message").asText(clip(response.body()));
        if (status == 429 || status / 100 == 5) {
            Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
                    .filter(v -> v.matches("\\d{1,6}")).map(v -> Duration.ofSeconds(Long.parseLong(v)));
            return new SendOutcome.NotSent("the WhatsApp Cloud API answered " + status + ": " + text, retryAfter);
        }
        String code = error.path("code").isMissingNode() ? "http_" + status : error.path("code").asText();
        return new SendOutcome.Rejected(code, text);
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
