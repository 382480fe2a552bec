package io.steadfast.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steadfast.json.Json;
import io.steadfast.whatsapp.WhatsApp;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds notifications the way Meta's WhatsApp Cloud API sends them: one {@code entry}, one {@code change} of
 * field {@code messages}, carrying any number of inbound messages and delivery statuses.
 */
public final class WhatsAppPayloads {

    /** An inbound text message from a customer. */
    public record Message(String wamid, String fromWaId, String profileName, long timestampSeconds, String text) {
    }

    /** A delivery status for a message the business sent. */
    public record Status(String wamid, String status, String recipientWaId, long timestampSeconds) {
    }

    private final String phoneNumberId;
    private final String displayPhoneNumber;

    public WhatsAppPayloads(String phoneNumberId, String displayPhoneNumber) {
        this.phoneNumberId = phoneNumberId;
        this.displayPhoneNumber = displayPhoneNumber;
    }

    public byte[] messages(List<Message> messages) {
        return notification(messages, List.of());
    }

    public byte[] statuses(List<Status> statuses) {
        return notification(List.of(), statuses);
    }

    /**
     * One status of a message we sent, naming it by the wamid and by our id in {@code biz_opaque_callback_data}, as
     * WhatsApp echoes it back.
     */
    public byte[] statusOfSent(Status status, String callbackData) {
        try {
            ObjectNode root = (ObjectNode) Json.MAPPER.readTree(notification(List.of(), List.of(status)));
            ((ObjectNode) root.at("/entry/0/changes/0/value/statuses/0")).put("biz_opaque_callback_data", callbackData);
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] notification(List<Message> messages, List<Status> statuses) {
        ObjectNode value = Json.MAPPER.createObjectNode();
        value.put("messaging_product", "whatsapp");
        ObjectNode metadata = value.putObject("metadata");
        metadata.put("display_phone_number", displayPhoneNumber);
        metadata.put("phone_number_id", phoneNumberId);
        if (!messages.isEmpty()) {
            ArrayNode contacts = value.putArray("contacts");
            messages.stream().map(Message::fromWaId).distinct().forEach(waId -> {
                ObjectNode contact = contacts.addObject();
                contact.putObject("profile").put("name", messages.stream()
                        .filter(m -> m.fromWaId().equals(waId)).reduce((a, b) -> b).orElseThrow().profileName());
                contact.put("wa_id", waId);
            });
            ArrayNode array = value.putArray("messages");
            for (Message m : messages) {
                ObjectNode message = array.addObject();
                message.put("from", m.fromWaId());
                message.put("id", m.wamid());
                message.put("timestamp", Long.toString(m.timestampSeconds()));
                message.put("type", "text");
                message.putObject("text").put("body", m.text());
            }
        }
        if (!statuses.isEmpty()) {
            ArrayNode array = value.putArray("statuses");
            for (Status s : statuses) {
                ObjectNode status = array.addObject();
                status.put("id", s.wamid());
                status.put("status", s.status());
                status.put("timestamp", Long.toString(s.timestampSeconds()));
                status.put("recipient_id", s.recipientWaId());
                if ("failed".equals(s.status())) {
                    status.putArray("errors").addObject().put("code", 131026).put("title", "Message undeliverable");
                }
            }
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", WhatsApp.NOTIFICATION_OBJECT);
        ObjectNode entry = root.putArray("entry").addObject();
        entry.put("id", "WABA-" + phoneNumberId);
        ObjectNode change = entry.putArray("changes").addObject();
        change.put("field", "messages");
        change.set("value", value);
        try {
            return Json.MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
