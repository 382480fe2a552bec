package io.steadfast.inbox;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Applies events to domain state. The engine calls it inside the transaction that also marks the events done,
 * conditional on the lease it holds, so either both commit or neither does.
 *
 * <p>A handler must be idempotent and order-insensitive: it may see an event again after a crash before commit,
 * and it sees events in any order. Handling a list must have the same effect as handling each event alone; the
 * engine falls back to one event per transaction when a list fails, to find the event that fails.
 */
public interface EventHandler {

    void handle(List<InboxEvent> events, Handle tx);

    /**
     * Called in the transaction that moves {@code event} to the dead letters, so a domain can record the failure
     * beside its own state (an audit row). Does nothing unless a handler needs it.
     */
    default void deadLettered(InboxEvent event, String reason, Handle tx) {
    }
}
