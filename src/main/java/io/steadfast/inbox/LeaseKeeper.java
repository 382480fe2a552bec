package io.steadfast.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Keeps the leases of batches still being worked on from expiring, so leases can be short: a worker that dies stops
 * renewing, and its events are taken over within one lease, while a live worker's long batch keeps its events. Only a
 * lease past half its life is renewed, so ordinary batches cost nothing here. A batch is renewed for at most
 * {@link #MAX_HOLD}: a handler stuck longer than that loses its events to another worker, and fencing refuses its
 * commit.
 */
final class LeaseKeeper {
    static final Duration MAX_HOLD = Duration.ofMinutes(5);

    private static final String RENEW = """
            UPDATE inbox_event SET lease_expires_at = :expires_at
            WHERE id = ANY(:ids) AND lease_token = ANY(:tokens)
            """;

    private record Held(Instant claimedAt, Instant expiresAt, List<Long> ids) {
    }

    private final Jdbi jdbi;
    private final Duration lease;
    private final Clock clock;
    private final Map<UUID, Held> held = new ConcurrentHashMap<>();

    LeaseKeeper(Jdbi jdbi, Duration lease, Clock clock) {
        this.jdbi = jdbi;
        this.lease = lease;
        this.clock = clock;
    }

    /** How often {@link #renew()} must run for a lease never to lapse while its worker lives. */
    Duration interval() {
        return lease.dividedBy(4);
    }

    void hold(Lease lease) {
        held.put(lease.token(), new Held(clock.instant(), lease.expiresAt(),
                lease.events().stream().map(InboxEvent::id).toList()));
    }

    void release(UUID token) {
        held.remove(token);
    }

    /** Extends every held lease that is past half its life; returns how many leases were renewed. */
    int renew() {
        Instant now = clock.instant();
        Instant renewBefore = now.plus(lease.dividedBy(2));
        Instant expiresAt = now.plus(lease);
        Map<UUID, Held> due = held.entrySet().stream()
                .filter(e -> e.getValue().expiresAt().isBefore(renewBefore))
                .filter(e -> e.getValue().claimedAt().plus(MAX_HOLD).isAfter(now))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (due.isEmpty()) {
            return 0;
        }
        List<Long> ids = due.values().stream().flatMap(h -> h.ids().stream()).toList();
        jdbi.useHandle(h -> h.createUpdate(RENEW).bindArray("ids", Long.class, ids)
                .bindArray("tokens", UUID.class, List.copyOf(due.keySet())).bind("expires_at", expiresAt).execute());
        due.keySet().forEach(token -> held.computeIfPresent(token, (t, h) -> new Held(h.claimedAt(), expiresAt, h.ids())));
        return due.size();
    }
}
