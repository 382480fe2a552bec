package io.steadfast.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The statements of one group commit: every request of the group, then every event, in one transaction. */
final class AppendBatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String INSERT_REQUESTS = """
            INSERT INTO webhook_request (id, source, received_at, headers, body)
            SELECT id, source, received_at::timestamptz, headers::json, body
            FROM unnest(:ids, :sources, :received_at, :headers, :bodies) AS r(id, source, received_at, headers, body)
            ON CONFLICT (id) DO NOTHING
            """;

    private static final String INSERT_EVENTS = """
            INSERT INTO inbox_event (source, partition_key, dedup_key, event_type, payload, request_id,
                                     received_at, next_attempt_at)
            SELECT source, partition_key, dedup_key, event_type, payload::json, request_id,
                   received_at::timestamptz, received_at::timestamptz
            FROM unnest(:sources, :partition_keys, :dedup_keys, :event_types, :payloads, :request_ids, :received_at)
                 AS e(source, partition_key, dedup_key, event_type, payload, request_id, received_at)
            ON CONFLICT (source, partition_key, dedup_key) DO NOTHING
            RETURNING source, partition_key, dedup_key
            """;

    private final List<IncomingRequest> requests;
    private final List<List<NewEvent>> eventsPerRequest;

    AppendBatch(List<IncomingRequest> requests, List<List<NewEvent>> eventsPerRequest) {
        this.requests = requests;
        this.eventsPerRequest = eventsPerRequest;
    }

    Inserted insert(Handle tx) {
        insertRequests(tx);
        Set<String> inserted = insertEvents(tx);
        if (!inserted.isEmpty()) {
            tx.execute("SELECT pg_notify('" + Wakeup.CHANNEL + "', '')");
        }
        return new Inserted(inserted);
    }

    private void insertRequests(Handle tx) {
        int n = requests.size();
        List<UUID> ids = new ArrayList<>(n);
        List<String> sources = new ArrayList<>(n);
        List<String> receivedAt = new ArrayList<>(n);
        List<String> headers = new ArrayList<>(n);
        byte[][] bodies = new byte[n][];
        for (int i = 0; i < n; i++) {
            IncomingRequest r = requests.get(i);
            ids.add(r.id());
            sources.add(r.source());
            receivedAt.add(r.receivedAt().toString());
            headers.add(toJson(r.headers()));
            bodies[i] = r.body();
        }
        tx.createUpdate(INSERT_REQUESTS)
                .bindArray("ids", UUID.class, ids)
                .bindArray("sources", String.class, sources)
                .bindArray("received_at", String.class, receivedAt)
                .bindArray("headers", String.class, headers)
                .bind("bodies", (position, statement, ctx) ->
                        statement.setArray(position, statement.getConnection().createArrayOf("bytea", bodies)))
                .execute();
    }

    /** Inserts every event not stored yet, in key order so concurrent commits lock keys in the same order. */
    private Set<String> insertEvents(Handle tx) {
        record Row(NewEvent event, IncomingRequest request) {
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            for (NewEvent event : eventsPerRequest.get(i)) {
                rows.add(new Row(event, requests.get(i)));
            }
        }
        if (rows.isEmpty()) {
            return Set.of();
        }
        rows.sort(Comparator.comparing(row -> row.event.key()));
        List<String> sources = new ArrayList<>(rows.size());
        List<String> partitionKeys = new ArrayList<>(rows.size());
        List<String> dedupKeys = new ArrayList<>(rows.size());
        List<String> eventTypes = new ArrayList<>(rows.size());
        List<String> payloads = new ArrayList<>(rows.size());
        List<UUID> requestIds = new ArrayList<>(rows.size());
        List<String> receivedAt = new ArrayList<>(rows.size());
        for (Row row : rows) {
            sources.add(row.event.source());
            partitionKeys.add(row.event.partitionKey());
            dedupKeys.add(row.event.dedupKey());
            eventTypes.add(row.event.eventType());
            payloads.add(row.event.payload());
            requestIds.add(row.request.id());
            receivedAt.add(row.request.receivedAt().toString());
        }
        Set<String> inserted = new HashSet<>();
        tx.createQuery(INSERT_EVENTS)
                .bindArray("sources", String.class, sources)
                .bindArray("partition_keys", String.class, partitionKeys)
                .bindArray("dedup_keys", String.class, dedupKeys)
                .bindArray("event_types", String.class, eventTypes)
                .bindArray("payloads", String.class, payloads)
                .bindArray("request_ids", UUID.class, requestIds)
                .bindArray("received_at", String.class, receivedAt)
                .map((rs, ctx) -> new NewEvent(rs.getString(1), rs.getString(2), rs.getString(3), null, null).key())
                .forEach(inserted::add);
        return inserted;
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys this commit stored. Each is credited to the first request of the group that carried it. */
    static final class Inserted {
        private final Set<String> keys;
        private final boolean any;

        Inserted(Set<String> keys) {
            this.keys = keys;
            this.any = !keys.isEmpty();
        }

        boolean claimFirstOccurrence(NewEvent event) {
            return keys.remove(event.key());
        }

        boolean any() {
            return any;
        }
    }
}
