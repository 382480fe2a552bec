package io.steadfast.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the WhatsApp Cloud API's send ({@code POST /{phone_number_id}/messages}), answering like Meta: a
 * wamid; an error object for a number it was told is invalid; 503s when told to; nothing at all for a number it was
 * told to swallow.
 */
public final class WhatsAppCloudSimulator extends SimulatedProvider<WhatsAppCloudSimulator.Call> {
    public static final String TOKEN = "whatsapp-test-access-token";

    /** One call as the simulator received it, and what it did: {@code taken}, {@code invalid} or {@code unavailable}. */
    public record Call(String phoneNumberId, String to, String text, String callbackData, String wamid, String outcome) {
        public boolean taken() {
            return outcome.equals("taken");
        }
    }

    private final AtomicLong sequence = new AtomicLong();

    @Override
    protected void routes(io.javalin.config.RoutesConfig routes) {
        routes.post("/{phone_number_id}/messages", this::send);
    }

    private void send(io.javalin.http.Context ctx) throws InterruptedException {
        if (!("Bearer " + TOKEN).equals(ctx.header("Authorization"))) {
            ctx.status(401).result(error(190, "Invalid OAuth access token."));
            return;
        }
        JsonNode body = Json.parse(ctx.body());
        String to = body.path("to").asText();
        String phone = ctx.pathParam("phone_number_id");
        String text = body.path("text").path("body").asText();
        String callback = body.path("biz_opaque_callback_data").asText(null);
        switch (verdict(to)) {
            case UNAVAILABLE -> {
                log(new Call(phone, to, text, callback, null, "unavailable"));
                ctx.status(503).header("Retry-After", "1").result(error(2, "Service temporarily unavailable"));
            }
            case INVALID -> {
                log(new Call(phone, to, text, callback, null, "invalid"));
                ctx.status(400).result(error(131026, "Message undeliverable: " + to + " is not a WhatsApp user"));
            }
            case TAKEN -> {
                String wamid = "wamid.sim." + sequence.incrementAndGet();
                log(new Call(phone, to, text, callback, wamid, "taken"));
                beforeAnswering(to);
                ctx.contentType("application/json").result(Json.write(Map.of("messaging_product", "whatsapp",
                        "contacts", List.of(Map.of("input", to, "wa_id", to)), "messages", List.of(Map.of("id", wamid)))));
            }
        }
    }

    private static String error(int code, String message) {
        return Json.write(Map.of("error", Map.of("message", message, "type", "OAuthException", "code", code)));
    }
}
