package io.steadfast.inbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Marks events done, but only while we still hold their lease. Runs in the handler's transaction: when another
 * worker took the events over, this changes no row and the caller rolls back the handler's writes with it.
 *
 * <p>The token alone fences: a row carries a lease token only while it is processing (the CHECK constraint
 * {@code inbox_event_lease_while_processing}), so token-fenced statements find their rows by id and token alone.
 */
final class Completer {
    private static final String COMPLETE_IF_LEASED = """
            UPDATE inbox_event
            SET status = 'done', processed_at = :now, last_error = NULL,
                lease_token = NULL, lease_expires_at = NULL, lease_owner = NULL
            WHERE id = ANY(:ids) AND lease_token = :token
            """;

    private Completer() {
    }

    /** Completes every event or none: throws {@link LeaseLost} when any of them is no longer ours. */
    static void completeIfLeased(Handle tx, List<Long> ids, UUID token, Instant now) {
        int completed = tx.createUpdate(COMPLETE_IF_LEASED)
                .bindArray("ids", Long.class, ids)
                .bind("token", token)
                .bind("now", now)
                .execute();
        if (completed < ids.size()) {
            throw new LeaseLost(ids.size() - completed, ids.size());
        }
        if (completed > ids.size()) {
            throw new IllegalStateException("completed " + completed + " rows for events " + ids);
        }
    }

    /** Another worker holds the lease now (ours expired): whatever we wrote must not commit. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(int lost, int of) {
            super(lost + " of " + of + " events are no longer leased to this worker");
        }
    }
}
