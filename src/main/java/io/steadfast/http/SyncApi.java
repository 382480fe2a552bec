package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.messaging.MessagingQueries;
import io.steadfast.orders.OrderQueries;
import io.steadfast.realtime.Changes;
import io.steadfast.realtime.Changes.Change;
import io.steadfast.realtime.SyncHub;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /v1/sync}: a WebSocket that pushes every order change and every new message as it commits, on any
 * node. {@code ?since=<cursor>} first replays what the client missed.
 */
final class SyncApi {
    private final BearerAuth auth;
    private final long businessId;
    private final OrderQueries orders;
    private final MessagingQueries messages;
    private SyncHub hub;

    SyncApi(Jdbi jdbi, BearerAuth auth, long businessId) {
        this.auth = auth;
        this.businessId = businessId;
        this.orders = new OrderQueries(jdbi);
        this.messages = new MessagingQueries(jdbi);
    }

    /** What a change looks like to a client: the order or the message as the REST API shows it. */
    Optional<Object> render(Change change) {
        return switch (change.kind()) {
            case Changes.ORDER -> orders.find(change.businessId(), Long.parseLong(change.entityId()))
                    .map(OrdersApi::orderJson);
            case Changes.MESSAGE -> messages.messagesByExternalId(change.businessId(), change.entityId()).stream()
                    .findFirst().map(MessagingApi::messageJson);
            default -> Optional.empty();
        };
    }

    void attach(SyncHub hub) {
        this.hub = hub;
    }

    void register(RoutesConfig routes) {
        routes.wsBeforeUpgrade("/v1/sync", ctx -> {
            auth.check(ctx);
            since(ctx.queryParam("since"));
        });
        routes.ws("/v1/sync", ws -> {
            ws.onConnect(ctx -> {
                ctx.enableAutomaticPings();
                hub.subscribe(ctx.sessionId(), new Client(ctx, businessId), since(ctx.queryParam("since")));
            });
            ws.onClose(ctx -> hub.unsubscribe(ctx.sessionId()));
            ws.onError(ctx -> hub.unsubscribe(ctx.sessionId()));
        });
    }

    private static Optional<Long> since(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            long since = Long.parseLong(raw.trim());
            if (since >= 0) {
                return Optional.of(since);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw InvalidRequestException.badRequest("since must be a cursor this server sent (a whole number >= 0), got '"
                + raw + "'");
    }

    private record Client(WsContext ctx, long businessId) implements SyncHub.Subscriber {
        @Override
        public boolean send(Map<String, Object> message) {
            if (!ctx.session.isOpen()) {
                return false;
            }
            ctx.send(Json.MAPPER.valueToTree(message).toString());
            return true;
        }
    }
}
