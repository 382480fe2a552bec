package io.steadfast.outbound;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Email over SMTP (Jakarta Mail). Each message carries a Message-ID made from ours, which is its provider id: a
 * recipient's server, or a person, can tell two copies of one message apart from two messages.
 *
 * <p>What a failure means: a server that could not be reached took nothing (sent again later); a recipient refused
 * with a 5xx is a bad address (failed), with a 4xx a "not now" (sent again later); a connection lost after the
 * message went out may have delivered it (unknown).
 */
public final class SmtpMail implements Provider {
    private final Session session;
    private final java.util.concurrent.BlockingDeque<Transport> idle = new java.util.concurrent.LinkedBlockingDeque<>();
    private final Optional<String> username;
    private final Optional<String> password;

    public SmtpMail(String host, int port, Optional<String> username, Optional<String> password, Duration timeout) {
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
        p.put("mail.smtp.timeout", Long.toString(timeout.toMillis()));
        p.put("mail.smtp.writetimeout", Long.toString(timeout.toMillis()));
        p.put("mail.smtp.auth", Boolean.toString(username.isPresent()));
        p.put("mail.smtp.starttls.enable", "true"); // used when the server offers it
        this.session = Session.getInstance(p);
        this.username = username;
        this.password = password;
    }

    /** The Message-ID of message {@code m}: ours, so that it is known before the server answers. */
    public static String messageId(OutboundMessage m) {
        String domain = m.sender().substring(m.sender().indexOf('@') + 1);
        return "<steadfast." + m.businessId() + "." + m.id() + "@" + domain + ">";
    }

    @Override
    public SendOutcome send(OutboundMessage m) {
        return send(messageId(m), m.sender(), m.recipient(), m.subject(), m.body());
    }

    /** Sends one plain-text email whose Message-ID is {@code messageId}. */
    public SendOutcome send(String messageId, String sender, String recipient, String subject, String body) {
        MimeMessage mail = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        try {
            mail.setFrom(new InternetAddress(sender));
            mail.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(recipient));
            mail.setSubject(subject, "UTF-8");
            mail.setText(body, "UTF-8");
            mail.saveChanges();
        } catch (MessagingException e) {
            return new SendOutcome.Rejected("invalid_message", "the email could not be built: " + e.getMessage());
        }
        Transport connection;
        try {
            connection = connection();
        } catch (MessagingException e) {
            return outcome(e);
        }
        try {
            connection.sendMessage(mail, mail.getAllRecipients());
            idle.offerFirst(connection);
            return new SendOutcome.Sent(messageId);
        } catch (MessagingException e) {
            close(connection);
            return outcome(e);
        }
    }

    /**
     * A connection to the server, logged in: one kept from an earlier send if it still answers (NOOP), else a new
     * one. Sending many messages over few connections spares the server (and us) a TCP and SMTP handshake each.
     */
    private Transport connection() throws MessagingException {
        for (Transport kept = idle.pollFirst(); kept != null; kept = idle.pollFirst()) {
            if (kept.isConnected()) {
                return kept;
            }
            close(kept);
        }
        Transport fresh = session.getTransport("smtp");
        fresh.connect(username.orElse(null), password.orElse(null));
        return fresh;
    }

    private static void close(Transport connection) {
        try {
            connection.close();
        } catch (MessagingException e) {
            // gone already
        }
    }

    static SendOutcome outcome(MessagingException e) {
        if (e instanceof MailConnectException || e.getNextException() instanceof ConnectException) {
            return new SendOutcome.NotSent("cannot connect to the SMTP server: " + e.getMessage(), Optional.empty());
        }
        if (e instanceof SendFailedException failed) {
            Optional<SMTPAddressFailedException> refusal = addressFailure(failed);
            if (refusal.isPresent()) { // a recipient refused: nothing was sent to them
                int code = refusal.get().getReturnCode();
                String text = refusal.get().getMessage().trim();
                return code / 100 == 4 ? new SendOutcome.NotSent("the SMTP server answered " + code + ": " + text,
                        Optional.empty()) : new SendOutcome.Rejected("smtp_" + code, text);
            }
            if (failed instanceof SMTPSendFailedException refused) { // the server said no to the sender or the data
                int code = refused.getReturnCode();
                return code / 100 == 4 ? new SendOutcome.NotSent("the SMTP server answered " + code + ": "
                        + refused.getMessage().trim(), Optional.empty())
                        : new SendOutcome.Rejected("smtp_" + code, refused.getMessage().trim());
            }
        }
        return new SendOutcome.NoAnswer("the SMTP conversation broke off and the message may have gone out: " + e);
    }

    private static Optional<SMTPAddressFailedException> addressFailure(SendFailedException failed) {
        for (Exception next = failed.getNextException(); next != null;
             next = next instanceof MessagingException me ? me.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException address) {
                return Optional.of(address);
            }
        }
        return Optional.empty();
    }
}
