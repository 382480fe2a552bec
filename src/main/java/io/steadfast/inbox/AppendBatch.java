package io.steadfast.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.steadfast.json.Json;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** The statement of one group commit: every request of the group and every event, in one transaction. */
final class AppendBatch {

    /**
     * One statement per group commit, so a commit costs one round trip before COMMIT: the events (a duplicate is
     * skipped by the UNIQUE constraint), the requests that no event row holds, and a wake-up for the workers when any
     * event is new. An event that was its request's only one holds the request (headers and body) in its own row;
     * a request with several events, or whose event was already stored, goes to webhook_request. After a retry of a
     * commit that did go through, its requests are kept there too, once more. pg_notify is volatile, so PostgreSQL
     * evaluates the {@code wakeup} CTE once, and only when it is joined.
     */
    private static final String APPEND = """
            WITH requests AS MATERIALIZED (
                SELECT * FROM unnest(:request_ids, :request_sources, :request_received_at, :headers, :bodies,
                                     :event_counts)
                     AS r(id, source, received_at, headers, body, event_count)
            ), events AS (
                INSERT INTO inbox_event (source, partition_key, dedup_key, event_type, payload, request_id,
                                         received_at, next_attempt_at, headers, body)
                SELECT e.source, e.partition_key, e.dedup_key, e.event_type, e.payload::json, e.request_id,
                       r.received_at::timestamptz, r.received_at::timestamptz,
                       CASE WHEN r.event_count = 1 THEN r.headers::json END, CASE WHEN r.event_count = 1 THEN r.body END
                FROM unnest(:sources, :partition_keys, :dedup_keys, :event_types, :payloads, :event_request_ids)
                     WITH ORDINALITY AS e(source, partition_key, dedup_key, event_type, payload, request_id, position)
                JOIN requests r ON r.id = e.request_id
                ORDER BY e.position
                ON CONFLICT (source, partition_key, dedup_key) DO NOTHING
                RETURNING source, partition_key, dedup_key, request_id, body IS NOT NULL AS holds_request
            ), requests_apart AS (
                INSERT INTO webhook_request (id, source, received_at, headers, body)
                SELECT id, source, received_at::timestamptz, headers::json, body FROM requests r
                WHERE NOT EXISTS (SELECT FROM events e WHERE e.request_id = r.id AND e.holds_request)
                ON CONFLICT (id) DO NOTHING
            ), wakeup AS (
                SELECT pg_notify('%s', '') FROM (SELECT FROM events LIMIT 1) any_new_event
            )
            SELECT source, partition_key, dedup_key FROM events LEFT JOIN wakeup ON true
            """.formatted(Wakeup.CHANNEL);

    private final List<IncomingRequest> requests;
    private final List<List<NewEvent>> eventsPerRequest;

    AppendBatch(List<IncomingRequest> requests, List<List<NewEvent>> eventsPerRequest) {
        this.requests = requests;
        this.eventsPerRequest = eventsPerRequest;
    }

    Inserted insert(Handle tx) {
        Query append = tx.createQuery(APPEND);
        bindRequests(append);
        bindEvents(append);
        Set<String> inserted = new HashSet<>();
        append.map((rs, ctx) -> new NewEvent(rs.getString(1), rs.getString(2), rs.getString(3), null, null).key())
                .forEach(inserted::add);
        return new Inserted(inserted);
    }

    private void bindRequests(Query append) {
        int n = requests.size();
        List<UUID> ids = new ArrayList<>(n);
        List<String> sources = new ArrayList<>(n);
        List<String> receivedAt = new ArrayList<>(n);
        List<String> headers = new ArrayList<>(n);
        byte[][] bodies = new byte[n][];
        List<Integer> eventCounts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            IncomingRequest r = requests.get(i);
            ids.add(r.id());
            sources.add(r.source());
            receivedAt.add(r.receivedAt().toString());
            headers.add(toJson(r.headers()));
            bodies[i] = r.body();
            eventCounts.add(eventsPerRequest.get(i).size());
        }
        append.bindArray("request_ids", UUID.class, ids)
                .bindArray("request_sources", String.class, sources)
                .bindArray("request_received_at", String.class, receivedAt)
                .bindArray("headers", String.class, headers)
                .bindArray("event_counts", Integer.class, eventCounts)
                .bind("bodies", (position, statement, ctx) ->
                        statement.setArray(position, statement.getConnection().createArrayOf("bytea", bodies)));
    }

    /** Events go in key order, so that concurrent commits lock the same keys in the same order. */
    private void bindEvents(Query append) {
        record Row(NewEvent event, IncomingRequest request) {
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            for (NewEvent event : eventsPerRequest.get(i)) {
                rows.add(new Row(event, requests.get(i)));
            }
        }
        rows.sort(Comparator.comparing(row -> row.event.key()));
        List<String> sources = new ArrayList<>(rows.size());
        List<String> partitionKeys = new ArrayList<>(rows.size());
        List<String> dedupKeys = new ArrayList<>(rows.size());
        List<String> eventTypes = new ArrayList<>(rows.size());
        List<String> payloads = new ArrayList<>(rows.size());
        List<UUID> requestIds = new ArrayList<>(rows.size());
        for (Row row : rows) {
            sources.add(row.event.source());
            partitionKeys.add(row.event.partitionKey());
            dedupKeys.add(row.event.dedupKey());
            eventTypes.add(row.event.eventType());
            payloads.add(row.event.payload());
            requestIds.add(row.request.id());
        }
        append.bindArray("sources", String.class, sources)
                .bindArray("partition_keys", String.class, partitionKeys)
                .bindArray("dedup_keys", String.class, dedupKeys)
                .bindArray("event_types", String.class, eventTypes)
                .bindArray("payloads", String.class, payloads)
                .bindArray("event_request_ids", UUID.class, requestIds);
    }

    private static String toJson(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
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
