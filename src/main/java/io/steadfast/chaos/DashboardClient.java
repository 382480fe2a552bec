package io.steadfast.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.simulator.Api;
import io.steadfast.simulator.LiveClient;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the dashboard does, without a browser: on each (re)connect it asks for a sync ticket, opens the feed with
 * {@code ?ready=true} and no cursor, reads the state from the REST API once the feed says it is ready, then applies
 * every change pushed after. Its view is that read plus those changes.
 */
public final class DashboardClient implements AutoCloseable {
    static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private final Api api;
    private final String phoneNumberId;
    private final Set<Long> orderIds;
    private final Set<String> readWamids = new HashSet<>();
    private final Map<Long, Integer> readVersions = new HashMap<>();
    private LiveClient session;
    private int sessions;

    /** A dashboard of one WhatsApp account's conversations and some orders, on {@code base}. */
    public DashboardClient(Api api, URI base, String phoneNumberId, Set<Long> orderIds) {
        this.api = api;
        this.phoneNumberId = phoneNumberId;
        this.orderIds = Set.copyOf(orderIds);
        connect(base);
    }

    /** Drops the current connection (if any is left) and starts over on {@code base}: new ticket, ready, read. */
    public synchronized void connect(URI base) {
        if (session != null) {
            session.close();
        }
        Api on = new Api(base, api.token());
        String ticket = Poll.settle(READY_WITHIN, () -> attempt(() -> on.post("/v1/sync/tickets", Map.of())
                .path("ticket").asText()), java.util.Objects::nonNull);
        if (ticket == null) {
            throw new IllegalStateException("no sync ticket from " + base + " within " + READY_WITHIN.toSeconds() + " s");
        }
        session = LiveClient.connect(base, null, "?ready=true&ticket=" + Api.encode(ticket));
        sessions++;
        Poll.until(READY_WITHIN, "the feed's ready message", () -> session.received().stream()
                .anyMatch(m -> m.path("type").asText().equals("ready")));
        Poll.until(READY_WITHIN, "the dashboard's read of the current state", () -> attempt(() -> {
            read(on);
            return true;
        }) != null);
    }

    private void read(Api on) {
        for (JsonNode c : on.all("/v1/conversations", Map.of("limit", "500"))) {
            if (c.path("phone_number_id").asText().equals(phoneNumberId)) {
                for (JsonNode m : on.all("/v1/conversations/" + c.path("id").asLong() + "/messages", Map.of())) {
                    if (m.path("direction").asText().equals("inbound")) {
                        readWamids.add(m.path("external_id").asText());
                    }
                }
            }
        }
        for (long id : orderIds) {
            try {
                readVersions.merge(id, on.get("/v1/orders/" + id).path("version").asInt(), Math::max);
            } catch (Api.ApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
    }

    private static <T> T attempt(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return null; // the node or the database is coming back: ask again
        }
    }

    /** The messages (wamids) the dashboard shows: those it read and those pushed since. */
    public synchronized Set<String> wamids() {
        Set<String> all = new HashSet<>(readWamids);
        for (JsonNode m : pushed()) {
            if (m.path("type").asText().equals("message")) {
                all.add(m.path("message").path("external_id").asText());
            }
        }
        return all;
    }

    /** The version of each order the dashboard shows: the newest it read or was pushed. */
    public synchronized Map<Long, Integer> versions() {
        Map<Long, Integer> all = new HashMap<>(readVersions);
        for (JsonNode m : pushed()) {
            if (m.path("type").asText().equals("order")) {
                all.merge(m.path("order").path("shopify_order_id").asLong(), m.path("order").path("version").asInt(),
                        Math::max);
            }
        }
        return all;
    }

    private List<JsonNode> pushed() {
        return session.received();
    }

    public synchronized int sessions() {
        return sessions;
    }

    @Override
    public synchronized void close() {
        session.close();
    }
}
