package io.steadfast.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.Observation.StoredEvent;
import io.steadfast.chaos.Observation.StoredMessage;
import io.steadfast.simulator.Api;
import io.steadfast.whatsapp.WhatsApp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Reads a scenario's outcome back through the deployment's API, the only view a remote run has. */
public final class Observer {
    private static final int PARALLEL_READS = 8;

    private final Api api;

    public Observer(Api api) {
        this.api = api;
    }

    /** The inbox events of the given WhatsApp accounts. */
    public List<StoredEvent> events(Collection<String> partitions) {
        return events(WhatsApp.SOURCE, partitions);
    }

    /** The inbox events of the given accounts of one provider. */
    public List<StoredEvent> events(String source, Collection<String> partitions) {
        List<StoredEvent> events = new ArrayList<>();
        for (String partition : partitions) {
            for (JsonNode e : api.all("/v1/inbox/events", Map.of("source", source, "partition_key", partition))) {
                events.add(new StoredEvent(e.get("id").asLong(), partition, e.get("dedup_key").asText(),
                        e.get("status").asText(), e.path("last_error").isNull() ? null : e.path("last_error").asText()));
            }
        }
        return events;
    }

    /**
     * Waits until no event of these accounts is pending or leased, or the timeout passes; returns whether the
     * inbox drained. Events waiting for a retry count as pending.
     */
    public boolean awaitDrained(String source, Collection<String> partitions, Duration timeout) throws InterruptedException {
        return Poll.within(timeout, () -> events(source, partitions).stream()
                .noneMatch(e -> e.status().equals("pending") || e.status().equals("processing")));
    }

    /** Everything the checker needs about these accounts and these message ids. */
    public Observation observe(Collection<String> partitions, Collection<String> wamids) {
        List<StoredEvent> events = events(partitions);
        Map<String, List<StoredMessage>> byWamid = new ConcurrentHashMap<>();
        try (ExecutorService readers = Executors.newFixedThreadPool(PARALLEL_READS, Thread.ofVirtual().factory())) {
            for (String wamid : new TreeSet<>(wamids)) {
                readers.submit(() -> {
                    List<StoredMessage> found = new ArrayList<>();
                    api.get("/v1/messages?external_id=" + Api.encode(wamid)).path("items")
                            .forEach(m -> found.add(message(m)));
                    if (!found.isEmpty()) {
                        byWamid.put(wamid, found);
                    }
                });
            }
        }
        List<List<StoredMessage>> conversations = new ArrayList<>();
        new TreeSet<>(byWamid.values().stream().flatMap(List::stream).map(StoredMessage::conversationId).toList())
                .forEach(id -> conversations.add(api.all("/v1/conversations/" + id + "/messages", Map.of()).stream()
                        .map(Observer::message).toList()));
        return new Observation(events, Map.copyOf(byWamid), conversations);
    }

    private static StoredMessage message(JsonNode m) {
        return new StoredMessage(m.get("external_id").asText(), m.get("conversation_id").asLong(),
                m.get("status").asText(), Instant.parse(m.get("provider_timestamp").asText()));
    }
}
