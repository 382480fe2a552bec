package io.steadfast.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.simulator.LiveClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dashboard that stays live through faults: one /v1/sync session after another, each resumed with the cursor of
 * the last message the previous one received, as the feed tells clients to.
 */
public final class ResumingClient implements AutoCloseable {
    private final String apiToken;
    private final List<LiveClient> sessions = new CopyOnWriteArrayList<>();
    private Optional<Long> cursor = Optional.empty();

    public ResumingClient(URI base, String apiToken) {
        this.apiToken = apiToken;
        sessions.add(LiveClient.connect(base, apiToken));
    }

    /** Ends the current session and opens the next on {@code base}, from the last cursor received. */
    public void resume(URI base) {
        LiveClient current = sessions.getLast();
        current.close();
        cursor = current.lastCursor().or(() -> cursor);
        sessions.add(LiveClient.connect(base, apiToken, cursor.map(c -> "?since=" + c).orElse("")));
    }

    /** Whether the current session is still open (a killed node closes it). */
    public boolean isOpen() {
        return sessions.getLast().isOpen();
    }

    /** Every message of every session, in the order received. */
    public List<JsonNode> received() {
        List<JsonNode> all = new ArrayList<>();
        sessions.forEach(s -> all.addAll(s.received()));
        return all;
    }

    public Optional<Long> lastCursor() {
        return sessions.getLast().lastCursor().or(() -> cursor);
    }

    public int sessions() {
        return sessions.size();
    }

    @Override
    public void close() {
        sessions.getLast().close();
    }
}
