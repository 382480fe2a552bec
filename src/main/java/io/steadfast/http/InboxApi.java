package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.inbox.DeadLetters;
import io.steadfast.inbox.DeadLetters.DeadEvent;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Dead-lettered events with their reasons, and replay. */
final class InboxApi {
    static final int MAX_DEAD = 1_000;

    private final DeadLetters deadLetters;
    private final Clock clock;

    InboxApi(DeadLetters deadLetters, Clock clock) {
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/inbox/dead", this::dead);
        routes.post("/v1/inbox/{id}/replay", this::replay);
    }

    private void dead(Context ctx) {
        int limit = Pages.limit(ctx, 100, MAX_DEAD);
        Optional<DeadEvent> after = Cursor.decode(ctx.queryParam("cursor"))
                .map(c -> new DeadEvent(c.id(), null, null, null, null, null, 0, null, c.at(), null, 0));
        List<DeadEvent> rows = deadLetters.list(limit, after);
        Pages.write(ctx, rows, limit, InboxApi::deadJson, d -> new Cursor(d.deadAt(), d.id()));
    }

    private void replay(Context ctx) {
        long id = MessagingApi.pathId(ctx, "id");
        deadLetters.replay(id, clock.instant());
        ctx.json(Map.of("id", id, "status", "pending"));
    }

    private static Map<String, Object> deadJson(DeadEvent d) {
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
        json.put("payload", Json.parse(d.payload()));
        return json;
    }
}
