package io.steadfast.fault;

import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** A handler made slow on demand, so that the chaos suite can catch a worker in the middle of a batch. */
public record DelayedHandler(EventHandler delegate, Faults faults) implements EventHandler {

    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        long ms = faults.handlerDelay().toMillis();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during an injected handler delay", e);
            }
        }
        delegate.handle(events, tx);
    }

    @Override
    public void deadLettered(InboxEvent event, String reason, Handle tx) {
        delegate.deadLettered(event, reason, tx);
    }
}
