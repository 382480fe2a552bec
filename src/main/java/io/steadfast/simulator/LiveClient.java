package io.steadfast.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A dashboard's view: a /v1/sync client that keeps every change pushed to it. */
public final class LiveClient implements WebSocket.Listener, AutoCloseable {
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private volatile boolean closed;

    public static LiveClient connect(URI base, String apiToken) {
        return connect(base, apiToken, "");
    }

    /**
     * {@code query} is appended to the path as it is, for example {@code "?since=12"}; a null {@code apiToken} sends no
     * credential, as a browser with a ticket in the query does.
     */
    public static LiveClient connect(URI base, String apiToken, String query) {
        LiveClient client = new LiveClient();
        try {
            WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
            if (apiToken != null) {
                builder.header("Authorization", "Bearer " + apiToken);
            }
            client.socket = builder
                    .buildAsync(URI.create(base.toString().replaceFirst("^http", "ws").replaceFirst("/$", "")
                            + "/v1/sync" + query), client)
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open /v1/sync on " + base + ": " + e, e);
        }
        return client;
    }

    /** Every message received so far, in order. */
    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** The cursor of the last message received: where a reconnect resumes from. Empty before any message. */
    public Optional<Long> lastCursor() {
        return received.isEmpty() ? Optional.empty() : Optional.of(received.getLast().path("cursor").asLong());
    }

    /** False once the server closed the socket or it broke. */
    public boolean isOpen() {
        return !closed;
    }

    /** The last state of an order this client was sent. */
    public Optional<JsonNode> lastOrder(long shopifyOrderId) {
        JsonNode last = null;
        for (JsonNode m : received) {
            if (m.path("type").asText().equals("order") && m.path("order").path("shopify_order_id").asLong() == shopifyOrderId) {
                last = m.path("order");
            }
        }
        return Optional.ofNullable(last);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(Json.MAPPER.readTree(partial.toString()));
            } catch (Exception e) {
                // not ours to judge here: a malformed push simply does not count as received
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed = true;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed = true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
            socket.abort(); // no waiting for the server's close frame: a dead node never sends one
        }
    }
}
