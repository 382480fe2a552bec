package io.steadfast.chaos;

import com.icegreen.greenmail.util.GreenMail;
import io.steadfast.simulator.TwilioSimulator;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the providers' own logs say they took, by our message id: WhatsApp by {@code biz_opaque_callback_data}, Twilio
 * by the status callback each message named, the SMTP server by the Message-ID. The checker counts calls from these,
 * never from what Steadfast says.
 */
public final class ProviderLogs {
    private static final Pattern OUR_MESSAGE_ID = Pattern.compile("<steadfast\\.\\d+\\.(\\d+)@[^>]+>");

    private ProviderLogs() {
    }

    /** One message a provider took: our id, and the provider's id for it. */
    public record Taken(long messageId, String providerMessageId) {
    }

    /** Everything every provider of the cluster took. */
    public static List<Taken> all(LocalCluster cluster) {
        List<Taken> taken = new ArrayList<>(whatsapp(cluster.whatsappApi()));
        taken.addAll(sms(cluster.smsApi()));
        taken.addAll(email(cluster.smtp()));
        return taken;
    }

    public static List<Taken> whatsapp(WhatsAppCloudSimulator provider) {
        return provider.calls().stream().filter(WhatsAppCloudSimulator.Call::taken)
                .filter(c -> c.callbackData() != null && c.callbackData().matches("\\d{1,18}"))
                .map(c -> new Taken(Long.parseLong(c.callbackData()), c.wamid())).toList();
    }

    public static List<Taken> sms(TwilioSimulator provider) {
        return provider.calls().stream().filter(TwilioSimulator.Call::taken)
                .flatMap(c -> c.messageRef().stream().map(ref -> new Taken(ref.messageId(), c.sid())))
                .toList();
    }

    public static List<Taken> email(GreenMail smtp) {
        List<Taken> taken = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            messageId(m).map(OUR_MESSAGE_ID::matcher).filter(Matcher::matches)
                    .ifPresent(id -> taken.add(new Taken(Long.parseLong(id.group(1)), id.group())));
        }
        return taken;
    }

    private static Optional<String> messageId(MimeMessage m) {
        try {
            return Optional.ofNullable(m.getMessageID());
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }
}
