package io.steadfast.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.core.IntervalFunction;
import io.steadfast.db.Backoff;
import io.steadfast.db.BusinessScope;
import io.steadfast.db.Columns;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.inbox.Jobs;
import io.steadfast.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Sends messages, each provider call at most once:
 * <ol>
 * <li>the job's messages still {@code queued} become {@code sending}, committed before any call; a message the job
 * finds {@code sending} already was being sent by a worker that stopped, after its call may have gone out: it
 * becomes {@code unknown}, and is never called again;</li>
 * <li>the provider is called, the batch's calls in parallel;</li>
 * <li>the outcomes are written at once in a transaction of their own (tried again if the database fails it):
 * {@code sent} with the provider's id; {@code failed} with its code and text; {@code unknown} when no answer came;
 * and back to {@code queued} with a new job, later, when the provider did not take it and said so (5xx, 429, refused
 * connection).</li>
 * </ol>
 */
public final class SendHandler implements EventHandler {
    /** Refusals before a message fails: with the back-off below, about two hours of trying. */
    static final int MAX_REFUSALS = 12;
    /** Tries at writing the outcomes of a batch's calls, about 1.5 s in all. */
    static final int RECORD_ATTEMPTS = 5;
    static final IntervalFunction BACKOFF =
            IntervalFunction.ofExponentialRandomBackoff(Duration.ofSeconds(2), 2.0, 0.3, Duration.ofMinutes(30));

    private final Jdbi jdbi;
    private final Map<String, Provider> providers;

    public SendHandler(Jdbi jdbi, Map<String, Provider> providers) {
        this.jdbi = jdbi;
        this.providers = Map.copyOf(providers);
    }

    private record Job(long businessId, long messageId) {
    }

    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        List<Job> jobs = events.stream().map(SendHandler::job).toList();
        Set<Long> businesses = jobs.stream().map(Job::businessId).collect(Collectors.toSet());
        List<OutboundMessage> claimed;
        // a handle of its own: Jdbi would run a nested inTransaction inside the engine's transaction, uncommitted
        try (Handle own = jdbi.open()) {
            claimed = own.inTransaction(h -> markSending(h, businesses, jobs));
        }
        recordAll(businesses, claimed, callAll(claimed));
        // the engine's transaction is touched last: it holds no lock while the transactions above wait for theirs
        BusinessScope.actFor(tx, businesses);
        Set<Long> claimedIds = claimed.stream().map(OutboundMessage::id).collect(Collectors.toSet());
        List<Job> interrupted = jobs.stream().filter(j -> !claimedIds.contains(j.messageId())).toList();
        interrupted.forEach(job -> settleInterrupted(tx, job));
        OutboundMessages.changed(tx, Columns.of(interrupted, Job::businessId), Columns.of(interrupted, Job::messageId));
    }

    /**
     * Writes what the calls came to in a transaction of its own, at once, tried again on a fresh connection if the
     * database lets it down: an outcome lost here leaves its message {@code sending}, and so {@code unknown} forever
     * (the job run again cannot know the call went out). Every write is conditional on the message still being where
     * the call left it, so a write repeated after a commit whose answer was lost changes nothing.
     */
    private void recordAll(Set<Long> businesses, List<OutboundMessage> claimed, List<SendOutcome> outcomes) {
        for (int attempt = 1; ; attempt++) {
            try (Handle own = jdbi.open()) {
                own.useTransaction(h -> {
                    BusinessScope.actFor(h, businesses);
                    List<OutboundMessage> sent = new java.util.ArrayList<>();
                    List<String> providerIds = new java.util.ArrayList<>();
                    for (int i = 0; i < claimed.size(); i++) {
                        if (outcomes.get(i) instanceof SendOutcome.Sent s) {
                            sent.add(claimed.get(i));
                            providerIds.add(s.providerMessageId());
                        } else {
                            record(h, claimed.get(i), outcomes.get(i));
                        }
                    }
                    recordSent(h, sent, providerIds);
                    OutboundMessages.changed(h, claimed);
                });
                return;
            } catch (RuntimeException e) {
                if (attempt == RECORD_ATTEMPTS) {
                    throw e; // the job runs again, and finds its messages sending: unknown, never sent twice
                }
                LockSupport.parkNanos(Duration.ofMillis(Backoff.millisAfter(attempt)).toNanos());
            }
        }
    }

    private static Job job(InboxEvent event) {
        JsonNode p = Json.parse(event.payload());
        return new Job(p.path("business_id").asLong(), p.path("message_id").asLong());
    }

    private static List<OutboundMessage> markSending(Handle h, Set<Long> businesses, List<Job> jobs) {
        BusinessScope.actFor(h, businesses);
        List<OutboundMessage> claimed = h.createQuery("UPDATE outbound_message SET status = 'sending', sending_at = now(), updated_at = now() "
                        + "WHERE (business_id, id) IN (SELECT * FROM unnest(:business_ids, :ids)) AND status = 'queued' "
                        + "RETURNING " + OutboundMessages.COLUMNS)
                .bindArray("business_ids", Long.class, jobs.stream().map(Job::businessId).toList())
                .bindArray("ids", Long.class, jobs.stream().map(Job::messageId).toList())
                .map((rs, ctx) -> OutboundMessages.map(rs))
                .list();
        OutboundMessages.changed(h, claimed);
        return claimed;
    }

    /** A job whose message was not queued: if it is {@code sending}, a call may have gone out, so it is not made again. */
    private static void settleInterrupted(Handle tx, Job job) {
        tx.createUpdate("""
                        UPDATE outbound_message
                        SET status = 'unknown', updated_at = now(),
                            error_message = 'the worker sending it stopped after its provider call may have gone out; '
                                            || 'it is not sent again, and a status from the provider will settle it'
                        WHERE business_id = :business_id AND id = :id AND status = 'sending'
                        """)
                .bind("business_id", job.businessId()).bind("id", job.messageId()).execute();
    }

    private List<SendOutcome> callAll(List<OutboundMessage> messages) {
        // a call that threw may have been made: never again
        return ProviderCalls.inParallel(messages, this::call, e -> new SendOutcome.NoAnswer("the provider call failed: " + e));
    }

    private SendOutcome call(OutboundMessage m) {
        Provider provider = providers.get(m.channel());
        if (provider == null) {
            return new SendOutcome.NotSent("no provider is configured for " + m.channel(), java.util.Optional.empty());
        }
        try {
            return provider.send(m);
        } catch (RuntimeException e) {
            return new SendOutcome.NoAnswer("the provider call failed: " + e);
        }
    }

    private static void record(Handle tx, OutboundMessage m, SendOutcome outcome) {
        switch (outcome) {
            case SendOutcome.Sent sent -> recordSent(tx, List.of(m), List.of(sent.providerMessageId()));
            case SendOutcome.Rejected rejected -> fail(tx, m, rejected.code(), rejected.message());
            case SendOutcome.NoAnswer noAnswer -> tx.createUpdate("""
                            UPDATE outbound_message SET status = 'unknown', error_message = :reason, updated_at = now()
                            WHERE business_id = :business_id AND id = :id AND status = 'sending'
                            """)
                    .bind("reason", noAnswer.reason()).bind("business_id", m.businessId()).bind("id", m.id()).execute();
            case SendOutcome.NotSent notSent -> {
                int refusals = m.attempts() + (notSent.refusal() ? 1 : 0);
                if (refusals >= MAX_REFUSALS) {
                    fail(tx, m, "not_sent", "the provider did not take it " + refusals + " times; last: " + notSent.reason());
                    return;
                }
                int requeued = tx.createUpdate("""
                                UPDATE outbound_message SET status = 'queued', attempts = :attempts, error_message = :reason,
                                                            updated_at = now()
                                WHERE business_id = :business_id AND id = :id AND status = 'sending'
                                """)
                        .bind("attempts", refusals).bind("reason", notSent.reason())
                        .bind("business_id", m.businessId()).bind("id", m.id()).execute();
                if (requeued == 0) {
                    return; // requeued already, by a write whose commit we did not hear of
                }
                Duration wait = notSent.retryAfter().orElse(Duration.ofMillis(BACKOFF.apply(Math.max(1, refusals))));
                Jobs.enqueue(tx, Outbox.sendJob(m.businessId(), m.id(), nextJob(tx, m)), Instant.now().plus(wait));
            }
        }
    }

    /** The messages the provider took, with its ids for them, in one statement: most of a batch. */
    private static void recordSent(Handle tx, List<OutboundMessage> messages, List<String> providerIds) {
        if (messages.isEmpty()) {
            return;
        }
        tx.createUpdate("""
                        UPDATE outbound_message o
                        SET provider_message_id = s.provider_id, updated_at = now(), error_message = NULL, sent_at = now(),
                            status = CASE WHEN o.status IN ('sending', 'unknown') THEN 'sent' ELSE o.status END
                        FROM unnest(:business_ids, :ids, :provider_ids) AS s(business_id, id, provider_id)
                        WHERE o.business_id = s.business_id AND o.id = s.id
                        """)
                .bindArray("business_ids", Long.class, Columns.of(messages, OutboundMessage::businessId))
                .bindArray("ids", Long.class, Columns.of(messages, OutboundMessage::id))
                .bindArray("provider_ids", String.class, providerIds)
                .execute();
    }

    /** A number no earlier job of this message used, so that the new job is not taken for a duplicate of one. */
    private static int nextJob(Handle tx, OutboundMessage m) {
        return tx.createQuery("SELECT count(*) FROM inbox_event WHERE source = :source AND partition_key = :partition "
                        + "AND (dedup_key = :first OR dedup_key LIKE :later)")
                .bind("source", Outbox.SOURCE).bind("partition", Long.toString(m.businessId()))
                .bind("first", "send:" + m.id()).bind("later", "send:" + m.id() + ":%").mapTo(Integer.class).one();
    }

    private static void fail(Handle tx, OutboundMessage m, String code, String message) {
        tx.createUpdate("""
                        UPDATE outbound_message SET status = 'failed', error_code = :code, error_message = :message,
                                                    updated_at = now()
                        WHERE business_id = :business_id AND id = :id AND status IN ('sending', 'unknown')
                        """)
                .bind("code", code).bind("message", message).bind("business_id", m.businessId()).bind("id", m.id())
                .execute();
    }
}
