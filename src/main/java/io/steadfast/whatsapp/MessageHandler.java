package io.steadfast.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.messaging.Channel;
import io.steadfast.messaging.InboundMessage;
import io.steadfast.messaging.MessageWrites;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** A message a customer sent: its customer, its conversation, and the message itself, each stored once. */
public final class MessageHandler implements EventHandler {
    private final boolean autoRegisterChannels;

    public MessageHandler(boolean autoRegisterChannels) {
        this.autoRegisterChannels = autoRegisterChannels;
    }

    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        List<JsonNode> payloads = events.stream().map(EventPayloads::read).toList();
        Map<String, Channel> channels = EventPayloads.channels(tx, payloads, autoRegisterChannels);
        List<InboundMessage> messages = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            JsonNode payload = payloads.get(i);
            JsonNode message = payload.path("message");
            JsonNode contact = payload.path("contact");
            String type = message.path("type").asText();
            messages.add(new InboundMessage(
                    channels.get(payload.path("phone_number_id").asText()),
                    message.path("from").asText(),
                    storable(contact.path("profile").path("name").asText(null)),
                    message.path("id").asText(),
                    type,
                    "text".equals(type) ? storable(message.path("text").path("body").asText(null)) : null,
                    message.toString(),
                    Instant.ofEpochSecond(message.path("timestamp").asLong()),
                    events.get(i).id()));
        }
        MessageWrites.insertInbound(tx, messages);
    }

    /** PostgreSQL text cannot hold U+0000; a customer's text keeps everything else, with U+FFFD in its place. */
    private static String storable(String text) {
        return text == null ? null : text.replace('\u0000', '\uFFFD');
    }
}
