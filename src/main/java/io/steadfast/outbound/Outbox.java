package io.steadfast.outbound;

import io.steadfast.db.BusinessScope;
import io.steadfast.idempotency.Idempotency;
import io.steadfast.idempotency.IdempotencyKey;
import io.steadfast.inbox.Jobs;
import io.steadfast.inbox.NewEvent;
import io.steadfast.json.Json;
import io.steadfast.messaging.Channel;
import io.steadfast.messaging.Channels;
import io.steadfast.messaging.MessageWrites;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Accepting a message to send: in one transaction, the Idempotency-Key's claim, the message ({@code queued}) and its
 * send job ({@link Idempotency}); a repeat (even one racing the first) gets the same answer and sends nothing. Nothing
 * is sent here: the workers send.
 */
public final class Outbox {
    public static final String SOURCE = "outbound";
    public static final String SEND_EVENT = "outbound.send";

    private final Jdbi jdbi;
    private final Set<String> sendingChannels;
    private final Map<String, String> defaultSenders;

    /**
     * {@code sendingChannels}: the channels this deployment has a provider for; {@code defaultSenders}: by channel, the
     * sender of a business that registered none (STEADFAST_SMS_FROM, STEADFAST_EMAIL_FROM).
     */
    public Outbox(Jdbi jdbi, Set<String> sendingChannels, Map<String, String> defaultSenders) {
        this.jdbi = jdbi;
        this.sendingChannels = Set.copyOf(sendingChannels);
        this.defaultSenders = Map.copyOf(defaultSenders);
    }

    /** Where a message goes: its channel, sender and recipient, and the conversation it shows in (if any). */
    private record Route(String channel, String sender, String recipient, Optional<Long> conversationId) {
    }

    public Idempotency.Answer accept(long businessId, IdempotencyKey key, NewMessage m) {
        return BusinessScope.inBusiness(jdbi, businessId, tx -> Idempotency.once(tx, businessId, key, h -> {
            Route route = route(h, businessId, m);
            OutboundMessage stored = h.createQuery("""
                            INSERT INTO outbound_message (business_id, channel, sender, recipient, subject, body,
                                                          conversation_id)
                            VALUES (:business_id, :channel, :sender, :recipient, :subject, :body, :conversation_id)
                            RETURNING\s""" + OutboundMessages.COLUMNS)
                    .bind("business_id", businessId).bind("channel", route.channel()).bind("sender", route.sender())
                    .bind("recipient", route.recipient()).bind("body", m.text())
                    .bind("subject", route.channel().equals(Channels.EMAIL) ? m.subject().orElse(null) : null)
                    .bind("conversation_id", route.conversationId().orElse(null))
                    .map((rs, ctx) -> OutboundMessages.map(rs)).one();
            Jobs.enqueue(h, sendJob(businessId, stored.id(), 0), Instant.now());
            OutboundMessages.changed(h, List.of(stored));
            return new Idempotency.Answer(202, Json.write(OutboundMessages.json(stored)));
        }));
    }

    /** The job that sends message {@code id}; {@code attempt} tells apart the jobs of a message refused and tried again. */
    static NewEvent sendJob(long businessId, long id, int attempt) {
        return new NewEvent(SOURCE, Long.toString(businessId), "send:" + id + (attempt == 0 ? "" : ":" + attempt),
                SEND_EVENT, Json.write(Map.of("business_id", businessId, "message_id", id)));
    }

    private Route route(Handle tx, long businessId, NewMessage m) {
        if (m.conversationId().isPresent()) {
            return conversationRoute(tx, businessId, m);
        }
        if (!sendingChannels.contains(m.channel())) {
            throw NewMessage.invalid("channel", "\"" + m.channel() + "\" cannot send on this deployment: set "
                    + switch (m.channel()) {
                        case Channels.WHATSAPP -> "STEADFAST_WHATSAPP_ACCESS_TOKEN";
                        case Channels.SMS -> "STEADFAST_SMS_ACCOUNT_SID and STEADFAST_SMS_AUTH_TOKEN";
                        default -> "STEADFAST_SMTP_HOST";
                    });
        }
        List<Channel> own = Channels.ofKind(tx, businessId, m.channel());
        Optional<Channel> channel = m.from().map(from -> own.stream().filter(c -> c.accountId().equals(from)).findFirst()
                .orElseThrow(() -> NewMessage.invalid("from", "\"" + from + "\" is not a " + m.channel()
                        + " channel of this business (GET /v1/channels lists them)")));
        if (channel.isEmpty() && own.size() > 1) {
            throw NewMessage.invalid("from", "is required: this business has " + own.size() + " " + m.channel()
                    + " channels (" + String.join(", ", own.stream().map(Channel::accountId).toList()) + ")");
        }
        channel = channel.or(() -> own.stream().findFirst());
        String sender = channel.map(Channel::accountId).or(() -> Optional.ofNullable(defaultSenders.get(m.channel())))
                .orElseThrow(() -> NewMessage.invalid("channel", "\"" + m.channel() + "\" has no sender registered for "
                        + "this business: register one with POST /v1/channels"
                        + (m.channel().equals(Channels.WHATSAPP) ? "" : ", or set a default for every business ("
                        + (m.channel().equals(Channels.SMS) ? "STEADFAST_SMS_FROM" : "STEADFAST_EMAIL_FROM") + ")")));
        Optional<Long> conversation = channel.map(c -> MessageWrites.conversationFor(tx, c, customerAddress(m.channel(),
                m.to()), Instant.now()));
        return new Route(m.channel(), sender, m.to(), conversation);
    }

    /** How a conversation knows its customer: a phone number's digits, or an email address in lower case. */
    private static String customerAddress(String channel, String to) {
        return channel.equals(Channels.EMAIL) ? to.toLowerCase(java.util.Locale.ROOT) : to.replaceFirst("^\\+", "");
    }

    private Route conversationRoute(Handle tx, long businessId, NewMessage m) {
        long conversationId = m.conversationId().orElseThrow();
        Route r = tx.createQuery("""
                        SELECT ch.kind, ch.account_id, cu.wa_id
                        FROM conversation cv
                        JOIN customer cu ON cu.business_id = cv.business_id AND cu.id = cv.customer_id
                        JOIN channel ch ON ch.id = cv.channel_id
                        WHERE cv.business_id = :business_id AND cv.id = :id
                        """)
                .bind("business_id", businessId).bind("id", conversationId)
                .map((rs, ctx) -> new Route(rs.getString("kind"), rs.getString("account_id"),
                        rs.getString("kind").equals(Channels.EMAIL) ? rs.getString("wa_id") : "+" + rs.getString("wa_id"),
                        Optional.of(conversationId)))
                .findOne()
                .orElseThrow(() -> NewMessage.invalid("conversation_id", "names no conversation of this business: "
                        + conversationId));
        if (!sendingChannels.contains(r.channel())) {
            throw NewMessage.invalid("conversation_id", "is on " + r.channel() + ", which cannot send on this deployment");
        }
        NewMessage.checkedText(r.channel(), Optional.of(m.text()));
        if (r.channel().equals(Channels.EMAIL) && m.subject().filter(subject -> !subject.isBlank()).isEmpty()) {
            throw NewMessage.invalid("subject", "is required to reply on an email conversation");
        }
        tx.createUpdate("UPDATE conversation SET last_message_at = greatest(last_message_at, now()) "
                        + "WHERE business_id = :business_id AND id = :id")
                .bind("business_id", businessId).bind("id", conversationId).execute();
        return r;
    }
}
