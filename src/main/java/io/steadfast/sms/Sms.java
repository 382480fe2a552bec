package io.steadfast.sms;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Names SMS events carry in the inbox. */
public final class Sms {
    public static final String SOURCE = "sms";
    public static final String MESSAGE_EVENT = "sms.message";
    public static final String STATUS_EVENT = "sms.status";
    public static final String SIGNATURE_HEADER = "X-Twilio-Signature";

    private Sms() {
    }

    /** Our numbers named by each payload's {@code field} ({@code To} of a customer's SMS, {@code From} of a status). */
    static Map<String, String> ourNumbers(List<JsonNode> payloads, String field) {
        Map<String, String> numbers = new LinkedHashMap<>();
        payloads.forEach(p -> numbers.putIfAbsent(p.path(field).asText(), null));
        return numbers;
    }
}
