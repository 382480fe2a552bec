package io.steadfast.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.messaging.Channels;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A message to send, as a request describes it: a channel and an address, or a conversation to reply on. Each field
 * is checked here, and a bad one is a 422 naming it.
 */
public record NewMessage(String channel, Optional<String> from, String to, Optional<String> subject, String text,
                         Optional<Long> conversationId) {
    public static final int MAX_WHATSAPP_TEXT = 4_096;
    public static final int MAX_SMS_TEXT = 1_600;
    public static final int MAX_EMAIL_TEXT = 100_000;
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");

    /** Reads and checks a request body. */
    public static NewMessage parse(JsonNode body) {
        Optional<String> text = text(body, "text");
        if (body.hasNonNull("conversation_id")) {
            JsonNode id = body.get("conversation_id");
            if (!id.canConvertToExactIntegral() || id.asLong() <= 0) {
                throw invalid("conversation_id", "must be a positive whole number, got " + id);
            }
            return new NewMessage(Channels.WHATSAPP, Optional.empty(), "", text(body, "subject"),
                    checkedText(Channels.EMAIL, text), Optional.of(id.asLong())); // checked again for its channel
        }
        String channel = text(body, "channel").orElseThrow(() -> invalid("channel",
                "is required: \"whatsapp\", \"sms\" or \"email\" (or send \"conversation_id\" to reply on a conversation)"));
        String to = text(body, "to").orElseThrow(() -> invalid("to", "is required"));
        Optional<String> subject = text(body, "subject");
        switch (channel) {
            case Channels.WHATSAPP, Channels.SMS -> {
                if (!E164.matcher(to).matches()) {
                    throw invalid("to", "must be a phone number in E.164 form, such as +15551234567, got \"" + to + "\"");
                }
            }
            case Channels.EMAIL -> {
                if (!EMAIL.matcher(to).matches()) {
                    throw invalid("to", "must be an email address, got \"" + to + "\"");
                }
                if (subject.isEmpty() || subject.get().isBlank() || subject.get().length() > 998) {
                    throw invalid("subject", "is required for email, 1-998 characters");
                }
            }
            default -> throw invalid("channel", "must be \"whatsapp\", \"sms\" or \"email\", got \"" + channel + "\"");
        }
        return new NewMessage(channel, text(body, "from"), to, subject, checkedText(channel, text), Optional.empty());
    }

    static String checkedText(String channel, Optional<String> text) {
        int max = switch (channel) {
            case Channels.WHATSAPP -> MAX_WHATSAPP_TEXT;
            case Channels.SMS -> MAX_SMS_TEXT;
            default -> MAX_EMAIL_TEXT;
        };
        String t = text.orElseThrow(() -> invalid("text", "is required"));
        if (t.isBlank()) {
            throw invalid("text", "must not be empty");
        }
        if (t.codePointCount(0, t.length()) > max) {
            throw invalid("text", "is at most " + max + " characters on " + channel + ", got "
                    + t.codePointCount(0, t.length()));
        }
        return t;
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw invalid(field, "must be a string, got " + v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        return Optional.of(v.asText());
    }

    static InvalidRequestException invalid(String field, String problem) {
        return new InvalidRequestException("invalid_message", 422, field + " " + problem + "; nothing was stored or sent");
    }
}
