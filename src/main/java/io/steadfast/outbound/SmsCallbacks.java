package io.steadfast.outbound;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's status callbacks for the SMS we send: the URL each message asks Twilio to call, which names the message,
 * and what Twilio's statuses mean here.
 */
public final class SmsCallbacks {
    public static final String PATH = "/webhooks/sms";
    private static final Pattern MESSAGE = Pattern.compile("(\\d{1,18})-(\\d{1,18})");

    private SmsCallbacks() {
    }

    /** Where Twilio reports on message {@code m}: {@code {public url}/webhooks/sms?message=<business>-<id>}. */
    static URI statusCallback(URI publicUrl, OutboundMessage m) {
        return URI.create(publicUrl.toString().replaceAll("/+$", "") + PATH + "?message=" + m.businessId() + "-" + m.id());
    }

    /** Our message named by a status callback's {@code message} parameter: business id and message id. */
    public record MessageRef(long businessId, long messageId) {
    }

    public static Optional<MessageRef> messageRef(String parameter) {
        if (parameter == null) {
            return Optional.empty();
        }
        Matcher m = MESSAGE.matcher(parameter);
        return m.matches() ? Optional.of(new MessageRef(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))))
                : Optional.empty();
    }

    /**
     * A Twilio message status in our terms: anything Twilio has taken ({@code accepted}, {@code queued},
     * {@code sending}, {@code sent}) is {@code sent}; {@code undelivered} and {@code canceled} are failures.
     */
    public static Optional<OutboundStatus> status(String twilioStatus) {
        return switch (twilioStatus == null ? "" : twilioStatus) {
            case "accepted", "scheduled", "queued", "sending", "sent" -> Optional.of(OutboundStatus.SENT);
            case "delivered" -> Optional.of(OutboundStatus.DELIVERED);
            case "read" -> Optional.of(OutboundStatus.READ);
            case "failed", "undelivered", "canceled" -> Optional.of(OutboundStatus.FAILED);
            default -> Optional.empty();
        };
    }
}
