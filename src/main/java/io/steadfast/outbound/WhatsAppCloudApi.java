package io.steadfast.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The WhatsApp Cloud API's send: {@code POST {base}/{phone_number_id}/messages} with the access token. Our message id
 * travels as {@code biz_opaque_callback_data}, so that a status webhook can name the message even when the answer
 * carrying its wamid was lost.
 */
public final class WhatsAppCloudApi implements Provider {
    private static final String PROVIDER = "the WhatsApp Cloud API";
    private final URI base;
    private final String accessToken;
    private final Duration timeout;
    private final HttpClient http;

    public WhatsAppCloudApi(URI base, String accessToken, Duration timeout) {
        this.base = base;
        this.accessToken = accessToken;
        this.timeout = timeout;
        this.http = ProviderCalls.client(timeout);
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
        return ProviderCalls.send(http, request, PROVIDER, WhatsAppCloudApi::outcome);
    }

    static SendOutcome outcome(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode json = ProviderCalls.parse(response.body());
        if (status / 100 == 2) {
            String wamid = json.path("messages").path(0).path("id").asText("");
            return wamid.isEmpty() ? new SendOutcome.NoAnswer("a 2xx without a message id: " + ProviderCalls.clip(response.body()))
                    : new SendOutcome.Sent(wamid);
        }
        JsonNode error = json.path("error");
        String text = error.path("message").asText(ProviderCalls.clip(response.body()));
        return ProviderCalls.notTaken(response, PROVIDER, text).orElseGet(() -> new SendOutcome.Rejected(
                error.path("code").isMissingNode() ? "http_" + status : error.path("code").asText(), text));
    }
}
