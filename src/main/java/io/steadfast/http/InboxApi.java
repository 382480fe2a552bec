package io.steadfast.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.inbox.DeadLetters;
import io.steadfast.inbox.DeadLetters.DeadEvent;
import io.steadfast.inbox.EventStatus;
import io.steadfast.inbox.PartitionEvents;
import io.steadfast.inbox.PartitionEvents.EventState;
import io.steadfast.json.Json;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** The events of a provider account and where each stands; dead-lettered events with their reasons, and replay. */
final class InboxApi {
    static final int MAX_DEAD = 1_000;
    static final int MAX_EVENTS = 1_000;

    private final DeadLetters deadLetters;
    private final PartitionEvents partitionEvents;
    private final Clock clock;
    private final Map<String, BiFunction<byte[], String, JsonNode>> readersBySource;

    /**
     * {@code readersBySource}: for each source whose events are stored as their request arrived, how one event is
     * read out of the request's body by its dedup key, so that a dead event shows its payload as a handler reads it.
     */
    InboxApi(DeadLetters deadLetters, PartitionEvents partitionEvents, Clock clock,
             Map<String, BiFunction<byte[], String, JsonNode>> readersBySource) {
        this.deadLetters = deadLetters;
        this.readersBySource = readersBySource;
        this.partitionEvents = partitionEvents;
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/inbox/events", this::events);
        routes.get("/v1/inbox/dead", this::dead);
        routes.post("/v1/inbox/{id}/replay", this::replay);
    }

    private void dead(Context ctx) {
        int limit = Pages.limit(ctx, 100, MAX_DEAD);
        Optional<DeadEvent> after = Cursor.decode(ctx.queryParam("cursor"))
                .map(c -> new DeadEvent(c.id(), null, null, null, null, null, 0, null, c.at(), null, 0, null));
        List<DeadEvent> rows = deadLetters.list(Authentication.caller(ctx).businessId(), limit, after);
        Pages.write(ctx, rows, limit, this::deadJson, d -> new Cursor(d.deadAt(), d.id()));
    }

    private void events(Context ctx) {
        String source = ctx.queryParam("source");
        String partitionKey = ctx.queryParam("partition_key");
        if (source == null || source.isBlank() || partitionKey == null || partitionKey.isBlank()) {
            throw InvalidRequestException.badRequest("pass the provider and its account: "
                    + "/v1/inbox/events?source=whatsapp&partition_key=<phone_number_id>");
        }
        int limit = Pages.limit(ctx, 100, MAX_EVENTS);
        Optional<Cursor> after = Cursor.decode(ctx.queryParam("cursor"));
        List<EventState> rows = partitionEvents.list(Authentication.caller(ctx).businessId(), source, partitionKey, limit, after.map(Cursor::at),
                after.map(Cursor::id).orElse(0L));
        Pages.write(ctx, rows, limit, InboxApi::eventJson, e -> new Cursor(e.receivedAt(), e.id()));
    }

    private void replay(Context ctx) {
        long businessId = Authentication.admin(ctx).businessId();
        long id = MessagingApi.pathId(ctx, "id");
        deadLetters.replay(businessId, id, clock.instant());
        ctx.json(Map.of("id", id, "status", EventStatus.PENDING.sql()));
    }

    private static Map<String, Object> eventJson(EventState e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("dedup_key", e.dedupKey());
        json.put("event_type", e.eventType());
        json.put("status", e.status());
        json.put("attempts", e.attempts());
        json.put("received_at", e.receivedAt().toString());
        json.put("processed_at", e.processedAt() == null ? null : e.processedAt().toString());
        json.put("last_error", e.lastError());
        json.put("replay_count", e.replayCount());
        return json;
    }

    private Map<String, Object> deadJson(DeadEvent d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", d.id());
        json.put("source", d.source());
        json.put("partition_key", d.partitionKey());
        json.put("dedup_key", d.dedupKey());
        json.put("event_type", d.eventType());
        json.put("attempts", d.attempts());
        json.put("reason", d.reason());
        json.put("received_at", d.receivedAt().toString());
        json.put("dead_at", d.deadAt().toString());
        json.put("replay_count", d.replayCount());
        json.put("payload", d.payload() != null ? Json.parse(d.payload())
                : readersBySource.getOrDefault(d.source(), (body, key) -> Json.parse(new String(body, UTF_8)))
                        .apply(d.requestBody(), d.dedupKey()));
        return json;
    }
}
