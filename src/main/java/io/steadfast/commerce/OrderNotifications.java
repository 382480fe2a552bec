package io.steadfast.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.db.BusinessScope;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.inbox.Jobs;
import io.steadfast.inbox.NewEvent;
import io.steadfast.inbox.PermanentFailure;
import io.steadfast.json.Json;
import io.steadfast.outbound.SendOutcome;
import io.steadfast.outbound.SmtpMail;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * An order's notifications: the confirmation email (SMTP) and a push to the business's app ({@code POST
 * STEADFAST_PUSH_URL}). Each is a job on the inbox engine, written with the order, so it exists exactly when the
 * order does and runs after its commit. A failure is retried with the engine's backoff; a refusal (an SMTP 5xx, a push
 * 4xx other than 429) or the last attempt dead-letters the job, and the order shows the notification {@code failed}
 * with the reason. Neither can fail, delay or roll back the order.
 *
 * <p>Each success is recorded at once in its own transaction, and a job whose notification is already sent does
 * nothing: a batch retried after a later job failed does not send again. Only a crash between a send and its record
 * repeats one (the email keeps its Message-ID, the push its Idempotency-Key, for the receiver to tell).
 */
public final class OrderNotifications implements EventHandler {
    public static final String EMAIL_EVENT = "store.order_email";
    public static final String PUSH_EVENT = "store.order_push";
    static final String EMAIL = "email";
    static final String PUSH = "push";

    /** Which notifications this deployment sends: email when SMTP and a sender are set, push when its URL is. */
    public record Settings(Optional<SmtpMail> mail, Optional<String> emailFrom, Optional<URI> pushUrl, Duration timeout) {
        boolean email() {
            return mail.isPresent() && emailFrom.isPresent();
        }
    }

    private final Jdbi jdbi;
    private final Settings settings;
    private final HttpClient http;

    public OrderNotifications(Jdbi jdbi, Settings settings) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout()).build();
    }

    /** The order's notification rows, and a job for each one to send; in the order's transaction. */
    static void plan(Handle h, long businessId, long orderId, Optional<String> email, Settings settings) {
        note(h, businessId, orderId, EMAIL, EMAIL_EVENT, email.isEmpty() ? Optional.of("the order has no email address")
                : settings.email() ? Optional.empty()
                : Optional.of("no SMTP server and sender are configured (STEADFAST_SMTP_HOST, STEADFAST_EMAIL_FROM)"));
        note(h, businessId, orderId, PUSH, PUSH_EVENT, settings.pushUrl().isPresent() ? Optional.empty()
                : Optional.of("no push URL is configured (STEADFAST_PUSH_URL)"));
    }

    private static void note(Handle h, long businessId, long orderId, String channel, String event,
                             Optional<String> skipped) {
        h.createUpdate("INSERT INTO order_notification (business_id, order_id, channel, status, reason) "
                        + "VALUES (:business_id, :order_id, :channel, :status, :reason)")
                .bind("business_id", businessId).bind("order_id", orderId).bind("channel", channel)
                .bind("status", skipped.isPresent() ? "skipped" : "pending").bind("reason", skipped.orElse(null))
                .execute();
        if (skipped.isEmpty()) {
            Jobs.enqueue(h, new NewEvent(Wallets.SOURCE, Long.toString(businessId), channel + ":" + orderId, event,
                    Json.write(Map.of("business_id", businessId, "order_id", orderId))), Instant.now());
        }
    }

    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        for (InboxEvent event : events) {
            JsonNode job = Json.parse(event.payload());
            long businessId = job.path("business_id").asLong();
            long orderId = job.path("order_id").asLong();
            String channel = event.eventType().equals(EMAIL_EVENT) ? EMAIL : PUSH;
            Optional<StoreOrder> order = own(businessId, h -> Orders.find(h, businessId, orderId));
            if (order.isEmpty() || !order.get().notifications().get(channel).status().equals("pending")) {
                continue;
            }
            if (channel.equals(EMAIL)) {
                email(order.get());
            } else {
                push(order.get());
            }
            own(businessId, h -> record(h, businessId, orderId, channel, "sent", null));
        }
    }

    @Override
    public void deadLettered(InboxEvent event, String reason, Handle tx) {
        JsonNode job = Json.parse(event.payload());
        long businessId = job.path("business_id").asLong();
        BusinessScope.actFor(tx, List.of(businessId));
        record(tx, businessId, job.path("order_id").asLong(), event.eventType().equals(EMAIL_EVENT) ? EMAIL : PUSH,
                "failed", reason);
    }

    /**
     * Runs {@code work} in a transaction of its own, on a connection of its own: not the engine's, which a later
     * failure in the batch rolls back (a sent notification must stay recorded as sent).
     */
    private <R> R own(long businessId, org.jdbi.v3.core.HandleCallback<R, RuntimeException> work) {
        try (Handle h = jdbi.open()) {
            return h.inTransaction(tx -> {
                BusinessScope.actFor(tx, List.of(businessId));
                return work.withHandle(tx);
            });
        }
    }

    private static int record(Handle h, long businessId, long orderId, String channel, String status, String reason) {
        return h.createUpdate("UPDATE order_notification SET status = :status, reason = :reason, updated_at = now() "
                        + "WHERE business_id = :business_id AND order_id = :order_id AND channel = :channel "
                        + "AND status = 'pending'")
                .bind("status", status).bind("reason", reason).bind("business_id", businessId)
                .bind("order_id", orderId).bind("channel", channel).execute();
    }

    private void email(StoreOrder order) {
        String from = settings.emailFrom().orElseThrow();
        String messageId = "<steadfast.order." + order.businessId() + "." + order.id() + "@"
                + from.substring(from.indexOf('@') + 1) + ">";
        SendOutcome outcome = settings.mail().orElseThrow().send(messageId, from, order.email(),
                "Order " + order.id() + " confirmed", confirmation(order));
        switch (outcome) {
            case SendOutcome.Sent sent -> {
            }
            case SendOutcome.Rejected r -> throw new PermanentFailure("the SMTP server refused the email: " + r.message());
            case SendOutcome.NotSent n -> throw new IllegalStateException(n.reason());
            case SendOutcome.NoAnswer n -> throw new IllegalStateException(n.reason());
        }
    }

    private static String confirmation(StoreOrder order) {
        StringBuilder text = new StringBuilder("Thank you for your order " + order.id() + ".\n\n");
        for (StoreOrder.Item item : order.items()) {
            text.append(item.quantity()).append(" x product ").append(item.productId()).append(" at ")
                    .append(Money.format(item.unitPrice(), order.currency())).append('\n');
        }
        text.append("\nShipping: ").append(Money.format(order.shipping(), order.currency()))
                .append("\nTotal: ").append(Money.format(order.total(), order.currency())).append(' ')
                .append(order.currency()).append('\n');
        return text.toString();
    }

    private void push(StoreOrder order) {
        HttpRequest request = HttpRequest.newBuilder(settings.pushUrl().orElseThrow()).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "steadfast-order-" + order.businessId() + "-" + order.id())
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("type", "store_order.placed",
                        "order", order.json()))))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the push service: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the push service");
        }
        int status = response.statusCode();
        String said = "the push service answered " + status + ": " + abbreviated(response.body());
        if (status == 429 || status / 100 == 5) {
            throw new IllegalStateException(said);
        }
        if (status / 100 != 2) {
            throw new PermanentFailure(said);
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
