package io.steadfast.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * SMS over the Twilio Messages API: {@code POST {base}/2010-04-01/Accounts/{sid}/Messages.json}, a form with basic
 * auth. Its {@code StatusCallback} names our message ({@link SmsCallbacks#statusCallback}), so a status callback
 * settles the message even when the answer carrying its {@code MessageSid} was lost. Twilio can also be asked about a
 * message it took ({@code GET .../Messages/{MessageSid}.json}).
 */
public final class TwilioMessagesApi implements Provider {
    private static final String PROVIDER = "the Twilio Messages API";

    private final URI base;
    private final String accountSid;
    private final String authorization;
    private final Supplier<URI> publicUrl;
    private final Duration timeout;
    private final HttpClient http;

    public TwilioMessagesApi(URI base, String accountSid, String authToken, Supplier<URI> publicUrl, Duration timeout) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.accountSid = accountSid;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken)
                .getBytes(StandardCharsets.UTF_8));
        this.publicUrl = publicUrl;
        this.timeout = timeout;
        this.http = ProviderCalls.client(timeout);
    }

    @Override
    public SendOutcome send(OutboundMessage m) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", m.recipient());
        form.put("From", m.sender());
        form.put("Body", m.body());
        form.put("StatusCallback", SmsCallbacks.statusCallback(publicUrl.get(), m).toString());
        HttpRequest request = request("/Messages.json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)))
                .build();
        return ProviderCalls.send(http, request, PROVIDER, TwilioMessagesApi::outcome);
    }

    static SendOutcome outcome(HttpResponse<String> response) {
        JsonNode json = ProviderCalls.parse(response.body());
        if (response.statusCode() / 100 == 2) {
            String sid = json.path("sid").asText("");
            return sid.isEmpty() ? new SendOutcome.NoAnswer("a 2xx without a sid: " + ProviderCalls.clip(response.body()))
                    : new SendOutcome.Sent(sid);
        }
        String text = json.path("message").asText(ProviderCalls.clip(response.body()));
        return ProviderCalls.notTaken(response, PROVIDER, text).orElseGet(() -> new SendOutcome.Rejected(
                json.path("code").isMissingNode() ? "http_" + response.statusCode() : json.path("code").asText(), text));
    }

    @Override
    public Optional<Report> lookUp(OutboundMessage m) {
        if (m.providerMessageId() == null) {
            return Optional.empty();
        }
        HttpRequest request = request("/Messages/" + URLEncoder.encode(m.providerMessageId(), StandardCharsets.UTF_8)
                + ".json").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode json = ProviderCalls.parse(response.body());
            return SmsCallbacks.status(json.path("status").asText()).map(status -> new Report(status,
                    json.path("error_code").asText("failed"), json.path("error_message").asText("Twilio reports it "
                    + json.path("status").asText())));
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + "/2010-04-01/Accounts/" + accountSid + path))
                .timeout(timeout)
                .header("Authorization", authorization);
    }

    public static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
