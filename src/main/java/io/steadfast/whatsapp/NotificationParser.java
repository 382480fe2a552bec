package io.steadfast.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.inbox.NewEvent;
import io.steadfast.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a WhatsApp Cloud API notification into inbox events: one per message and one per status, whatever
 * batching Meta used. Rejects, with the JSON path at fault, anything that is not such a notification; changes of
 * other fields (template updates, account alerts) are counted as ignored.
 */
public final class NotificationParser {

    public record Parsed(List<NewEvent> events, int ignoredChanges) {
    }

    /** One message or status of a notification, with what its handler reads beside it. */
    private record Item(String phoneNumberId, JsonNode displayPhone, JsonNode contact, String field, JsonNode node,
                        String eventType, String dedupKey) {

        ObjectNode payload() {
            ObjectNode payload = Json.MAPPER.createObjectNode();
            payload.put("phone_number_id", phoneNumberId);
            payload.set("display_phone_number", displayPhone);
            if (field.equals("message")) {
                payload.set("contact", contact);
            }
            payload.set(field, node);
            return payload;
        }
    }

    /**
     * Checks the notification and returns its events: their keys only, for the inbox keeps the notification as it
     * arrived and a worker reads each event from it ({@link #payloadOf}).
     */
    public Parsed parse(byte[] body) {
        List<NewEvent> events = new ArrayList<>();
        int ignored = walk(body, item -> events.add(
                new NewEvent(WhatsApp.SOURCE, item.phoneNumberId(), item.dedupKey(), item.eventType(), null)));
        return new Parsed(events, ignored);
    }

    /** The payload of one event of a notification stored as it arrived: the event with its account and contact. */
    public static ObjectNode payloadOf(byte[] body, String dedupKey) {
        ObjectNode[] found = new ObjectNode[1];
        walk(body, item -> {
            if (found[0] == null && item.dedupKey().equals(dedupKey)) {
                found[0] = item.payload();
            }
        });
        if (found[0] == null) {
            throw invalid("the notification holds no event " + dedupKey);
        }
        return found[0];
    }

    /** Visits every message and status of the notification in order; returns how many changes carried neither. */
    private static int walk(byte[] body, Consumer<Item> visitor) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw invalid("the body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw invalid("the body must be a JSON object with \"object\" and \"entry\", as Meta sends");
        }
        JsonNode object = root.get("object");
        if (object == null || !object.isTextual() || !object.asText().equals(WhatsApp.NOTIFICATION_OBJECT)) {
            throw invalid("\"object\" must be \"" + WhatsApp.NOTIFICATION_OBJECT + "\", got " + describe(object)
                    + "; this endpoint takes WhatsApp Cloud API notifications only");
        }
        int ignored = 0;
        JsonNode entries = requireArray(root, "entry", "");
        for (int e = 0; e < entries.size(); e++) {
            String entryPath = "entry[" + e + "]";
            JsonNode changes = requireArray(requireObject(entries.get(e), entryPath), "changes", entryPath);
            for (int c = 0; c < changes.size(); c++) {
                String changePath = entryPath + ".changes[" + c + "]";
                JsonNode change = requireObject(changes.get(c), changePath);
                JsonNode value = change.get("value");
                boolean carriesEvents = value != null && value.isObject()
                        && (value.has("messages") || value.has("statuses"));
                if (!carriesEvents) {
                    ignored++;
                    continue;
                }
                walkValue(value, changePath + ".value", visitor);
            }
        }
        return ignored;
    }

    private static void walkValue(JsonNode value, String path, Consumer<Item> visitor) {
        JsonNode metadata = requireObject(value.get("metadata"), path + ".metadata");
        String phoneNumberId = requireText(metadata, "phone_number_id", path + ".metadata");
        JsonNode displayPhone = metadata.get("display_phone_number");
        if (value.has("messages")) {
            JsonNode messages = requireArray(value, "messages", path);
            JsonNode contacts = value.get("contacts");
            for (int i = 0; i < messages.size(); i++) {
                String messagePath = path + ".messages[" + i + "]";
                JsonNode message = requireObject(messages.get(i), messagePath);
                String wamid = requireText(message, "id", messagePath);
                String from = requireText(message, "from", messagePath);
                requireTimestamp(message, messagePath);
                requireText(message, "type", messagePath);
                JsonNode text = message.get("text");
                if (text != null && !(text.isObject() && (!text.has("body") || text.get("body").isTextual()))) {
                    throw invalid(messagePath + ".text must be an object whose \"body\" is a string");
                }
                visitor.accept(new Item(phoneNumberId, displayPhone, contactFor(contacts, from), "message", message,
                        WhatsApp.MESSAGE_EVENT, wamid));
            }
        }
        if (value.has("statuses")) {
            JsonNode statuses = requireArray(value, "statuses", path);
            for (int i = 0; i < statuses.size(); i++) {
                String statusPath = path + ".statuses[" + i + "]";
                JsonNode status = requireObject(statuses.get(i), statusPath);
                String wamid = requireText(status, "id", statusPath);
                String state = requireText(status, "status", statusPath);
                requireTimestamp(status, statusPath);
                JsonNode errors = status.get("errors");
                if (errors != null && !errors.isArray()) {
                    throw invalid(statusPath + ".errors must be an array");
                }
                visitor.accept(new Item(phoneNumberId, displayPhone, null, "status", status, WhatsApp.STATUS_EVENT,
                        wamid + ":" + state));
            }
        }
    }

    /** The contact whose wa_id sent the message; Meta lists one per sender in the same value. */
    private static JsonNode contactFor(JsonNode contacts, String from) {
        if (contacts == null || !contacts.isArray()) {
            return null;
        }
        for (JsonNode contact : contacts) {
            if (from.equals(contact.path("wa_id").asText(null))) {
                return contact;
            }
        }
        return contacts.size() == 1 ? contacts.get(0) : null;
    }

    private static JsonNode requireObject(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw invalid(path + " must be an object, got " + describe(node));
        }
        return node;
    }

    private static JsonNode requireArray(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        String where = path.isEmpty() ? field : path + "." + field;
        if (node == null || !node.isArray()) {
            throw invalid(where + " must be an array, got " + describe(node));
        }
        return node;
    }

    private static String requireText(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw invalid(path + "." + field + " must be a non-empty string, got " + describe(node));
        }
        return node.asText();
    }

    /** Meta sends Unix seconds as a string of digits; a plain number is accepted too. */
    static long requireTimestamp(JsonNode parent, String path) {
        JsonNode node = parent.get("timestamp");
        if (node != null && (node.isIntegralNumber() || (node.isTextual() && node.asText().matches("\\d{1,12}")))) {
            return node.asLong();
        }
        throw invalid(path + ".timestamp must be Unix seconds (a string of digits), got " + describe(node));
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return node.getNodeType().toString().toLowerCase() + " " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException("invalid_payload", 400, message);
    }
}
