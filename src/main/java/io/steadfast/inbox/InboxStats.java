package io.steadfast.inbox;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.Jdbi;

/** How much work waits in the inbox, for health checks and metrics. */
public final class InboxStats {
    private static final String SNAPSHOT = """
            SELECT open.pending, open.processing, open.oldest_pending,
                   (SELECT count(*) FROM inbox_event WHERE dead_at IS NOT NULL) AS dead
            FROM (SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
                         count(*) FILTER (WHERE status = 'processing') AS processing,
                         min(received_at) FILTER (WHERE status = 'pending') AS oldest_pending
                  FROM inbox_event WHERE processed_at IS NULL AND dead_at IS NULL) open
            """;

    private static final String UNFINISHED = """
            SELECT EXISTS (SELECT 1 FROM inbox_event WHERE processed_at IS NULL AND dead_at IS NULL)
            """;

    private final Jdbi jdbi;

    public InboxStats(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public record Snapshot(long pending, long processing, long dead, Duration oldestPendingAge) {
    }

    /** Whether every event is done or dead: one index probe per status, cheap enough to poll in a tight loop. */
    public boolean drained() {
        return !jdbi.withHandle(h -> h.createQuery(UNFINISHED).mapTo(Boolean.class).one());
    }

    public Snapshot snapshot(Instant now) {
        return jdbi.withHandle(h -> h.createQuery(SNAPSHOT).map((rs, ctx) -> {
            OffsetDateTime oldest = rs.getObject("oldest_pending", OffsetDateTime.class);
            Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), now);
            return new Snapshot(rs.getLong("pending"), rs.getLong("processing"), rs.getLong("dead"),
                    age.isNegative() ? Duration.ZERO : age);
        }).one());
    }
}
