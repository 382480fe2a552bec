package io.steadfast.outbound;

import io.steadfast.db.BusinessScope;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.inbox.Jobs;
import io.steadfast.inbox.NewEvent;
import io.steadfast.messaging.Channels;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Looks for messages that may have been lost: {@code sent} with no word from the provider past the deadline (email
 * excepted: an SMTP server's acceptance is all the word there is), and {@code unknown} ones past it. Each is asked of
 * its provider where the provider can tell (Twilio); the answer settles it. Otherwise a {@code sent} one becomes
 * {@code unknown}, for a person to look at ({@code GET /v1/messages?status=unknown}, the metric
 * {@code steadfast_outbound_unknown} and its alert), and is looked for again after another deadline.
 *
 * <p>It runs as a job of the inbox engine: every node schedules it, and the job's key (the period it covers) makes
 * one run per period however many nodes there are.
 */
public final class LossCheck implements EventHandler {
    public static final String SOURCE = "maintenance";
    public static final String EVENT = "outbound.loss_check";
    static final int BATCH = 500;

    private final Map<String, Provider> providers;
    private final Duration deadline;

    public LossCheck(Map<String, Provider> providers, Duration deadline) {
        this.providers = Map.copyOf(providers);
        this.deadline = deadline;
    }

    /** How often it runs: a quarter of the deadline, between 15 seconds and 5 minutes. */
    public Duration period() {
        Duration quarter = deadline.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(15)) < 0 ? Duration.ofSeconds(15)
                : quarter.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : quarter;
    }

    /** Enqueues a run each period from now on; stops with the returned timer. */
    public ScheduledExecutorService schedule(Jdbi jdbi, Clock clock) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("loss-check").daemon().factory());
        long every = period().toMillis();
        timer.scheduleAtFixedRate(() -> {
            try {
                long slot = clock.millis() / every;
                jdbi.useTransaction(h -> Jobs.enqueue(h, new NewEvent(SOURCE, "loss-check", "loss-check:" + slot, EVENT,
                        "{}"), clock.instant()));
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(LossCheck.class).warn("Could not schedule the loss check: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return timer;
    }

    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        check(tx);
    }

    /** One run: returns how many messages it looked at. */
    public int check(Handle tx) {
        BusinessScope.actForAll(tx);
        List<OutboundMessage> overdue = tx.createQuery("SELECT " + OutboundMessages.COLUMNS + """
                         FROM outbound_message
                        WHERE status IN ('sent', 'unknown') AND status_at IS NULL
                          AND (status = 'unknown' OR channel <> :email)
                          AND coalesce(checked_at, sent_at, sending_at, created_at) < now() - make_interval(secs => :deadline)
                        ORDER BY coalesce(checked_at, sent_at, sending_at, created_at)
                        LIMIT :limit
                        FOR UPDATE SKIP LOCKED
                        """)
                .bind("email", Channels.EMAIL).bind("deadline", deadline.toSeconds()).bind("limit", BATCH)
                .map((rs, ctx) -> OutboundMessages.map(rs)).list();
        List<Optional<Provider.Report>> reports = lookUpAll(overdue);
        List<ProviderStatus> settled = new ArrayList<>();
        for (int i = 0; i < overdue.size(); i++) {
            OutboundMessage m = overdue.get(i);
            reports.get(i).ifPresent(r -> settled.add(new ProviderStatus(m.businessId(), m.channel(), m.sender(),
                    m.providerMessageId(), Optional.of(m.id()), r.status(), r.errorCode(), r.errorMessage())));
        }
        ProviderStatus.applyAll(tx, settled);
        List<OutboundMessage> unsettled = new ArrayList<>();
        for (int i = 0; i < overdue.size(); i++) {
            if (reports.get(i).isEmpty()) {
                unsettled.add(overdue.get(i));
            }
        }
        flag(tx, unsettled);
        return overdue.size();
    }

    private void flag(Handle tx, List<OutboundMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        tx.createUpdate("""
                        UPDATE outbound_message
                        SET checked_at = now(), updated_at = now(),
                            error_message = CASE WHEN status = 'sent'
                                THEN 'the provider took it, then reported nothing for ' || :minutes || ' minutes, and '
                                     || 'cannot be asked: look at it with the provider, or with the customer'
                                ELSE error_message END,
                            status = 'unknown'
                        WHERE (business_id, id) IN (SELECT * FROM unnest(:business_ids, :ids))
                        """)
                .bind("minutes", deadline.toMinutes())
                .bindArray("business_ids", Long.class, messages.stream().map(OutboundMessage::businessId).toList())
                .bindArray("ids", Long.class, messages.stream().map(OutboundMessage::id).toList())
                .execute();
        OutboundMessages.changed(tx, messages.stream().filter(m -> m.status() == OutboundStatus.SENT).toList());
    }

    private List<Optional<Provider.Report>> lookUpAll(List<OutboundMessage> messages) {
        return ProviderCalls.inParallel(messages, m -> Optional.ofNullable(providers.get(m.channel()))
                .flatMap(p -> p.lookUp(m)), e -> Optional.empty());
    }
}
