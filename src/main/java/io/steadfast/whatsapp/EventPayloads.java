package io.steadfast.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.inbox.PermanentFailure;
import io.steadfast.json.Json;
import io.steadfast.messaging.Channel;
import io.steadfast.messaging.Channels;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Reads each event from what the inbox stored, and finds the channel each event arrived on. */
final class EventPayloads {
    private EventPayloads() {
    }

    /** The event's payload: from the notification it arrived in, or as stored before notifications were kept whole. */
    static JsonNode read(InboxEvent event) {
        try {
            return event.payload() == null ? NotificationParser.payloadOf(event.body(), event.dedupKey())
                    : Json.MAPPER.readTree(event.payload());
        } catch (IOException | InvalidRequestException e) {
            throw new PermanentFailure("event " + event.id() + " cannot be read from what was stored: " + e.getMessage());
        }
    }

    /**
     * The channel of every payload, by phone_number_id. An unknown number is registered to the default business,
     * or, with auto-registration off, fails the event permanently until the channel exists and it is replayed.
     */
    static Map<String, Channel> channels(Handle tx, List<JsonNode> payloads, boolean autoRegister) {
        Map<String, String> displayNames = new LinkedHashMap<>();
        for (JsonNode p : payloads) {
            displayNames.putIfAbsent(p.path("phone_number_id").asText(), p.path("display_phone_number").asText(null));
        }
        return Channels.resolveAll(tx, Channels.WHATSAPP, displayNames, autoRegister);
    }
}
