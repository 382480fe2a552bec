package io.steadfast.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
            WHERE lease_token = ANY(:tokens) AND status = 'processing'
            """;

    private record Held(Instant claimedAt, Instant expiresAt) {
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
        held.put(lease.token(), new Held(clock.instant(), lease.expiresAt()));
    }

    void release(UUID token) {
        held.remove(token);
    }

    /** Extends every held lease that is past half its life; returns how many leases were renewed. */
    int renew() {
        Instant now = clock.instant();
        Instant renewBefore = now.plus(lease.dividedBy(2));
        Instant expiresAt = now.plus(lease);
        List<UUID> due = held.entrySet().stream()
                .filter(e -> e.getValue().expiresAt().isBefore(renewBefore))
                .filter(e -> e.getValue().claimedAt().plus(MAX_HOLD).isAfter(now))
                .map(Map.Entry::getKey).toList();
        if (due.isEmpty()) {
            return 0;
        }
        jdbi.useHandle(h -> h.createUpdate(RENEW).bindArray("tokens", UUID.class, due).bind("expires_at", expiresAt)
                .execute());
        due.forEach(token -> held.computeIfPresent(token, (t, h) -> new Held(h.claimedAt(), expiresAt)));
        return due.size();
    }
}
