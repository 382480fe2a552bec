package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsContext;
import io.steadfast.commerce.Orders;
import io.steadfast.commerce.StoreOrder;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.messaging.MessagingQueries;
import io.steadfast.orders.OrderQueries;
import io.steadfast.outbound.OutboundMessages;
import io.steadfast.realtime.ChangeLogRetention;
import io.steadfast.realtime.Changes;
import io.steadfast.realtime.Changes.Change;
import io.steadfast.realtime.Subscription;
import io.steadfast.realtime.SyncHub;
import io.steadfast.tenant.Caller;
import io.steadfast.tenant.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Callback;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /v1/sync}: a WebSocket that pushes every order change, every new message and every change of a message we
 * send ({@code outbound_message}) as it commits, on any node, for the caller's business. {@code ?since=<cursor>} first
 * replays what the client missed. A browser, which cannot set the socket's headers, first asks {@code POST
 * /v1/sync/tickets} for a short-lived ticket and connects with {@code ?ticket=}.
 */
final class SyncApi {
    private final Authentication auth;
    private final Tokens tokens;
    private final OrderQueries orders;
    private final MessagingQueries messages;
    private final OutboundMessages outbound;
    /** How long a closed client may take to answer the close before its connection is dropped. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private final Map<String, Subscription> clients = new ConcurrentHashMap<>();
    private SyncHub hub;

    private final Jdbi jdbi;

    SyncApi(Jdbi jdbi, Authentication auth, Tokens tokens) {
        this.jdbi = jdbi;
        this.auth = auth;
        this.tokens = tokens;
        this.orders = new OrderQueries(jdbi);
        this.messages = new MessagingQueries(jdbi);
        this.outbound = new OutboundMessages(jdbi);
    }

    /** What a change looks like to a client: the order or the message as the REST API shows it. */
    Optional<Object> render(Change change) {
        return switch (change.kind()) {
            case Changes.ORDER -> orders.find(change.businessId(), Long.parseLong(change.entityId()))
                    .map(OrdersApi::orderJson);
            case Changes.MESSAGE -> messages.messagesByExternalId(change.businessId(), change.entityId()).stream()
                    .findFirst().map(MessagingApi::messageJson);
            case Changes.OUTBOUND_MESSAGE -> outbound.find(change.businessId(), Long.parseLong(change.entityId()))
                    .map(OutboundMessages::json);
            case Changes.STORE_ORDER -> Orders.read(jdbi, change.businessId(), Long.parseLong(change.entityId()))
                    .map(StoreOrder::json);
            default -> Optional.empty();
        };
    }

    void attach(SyncHub hub) {
        this.hub = hub;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/sync/tickets", ctx -> ctx.json(Map.of("ticket", tokens.ticket(Authentication.caller(ctx)),
                "expires_in", Tokens.TICKET_LIFETIME.toSeconds())));
        routes.wsBeforeUpgrade("/v1/sync", ctx -> {
            caller(ctx.header("Authorization"), ctx.queryParam("ticket"));
            Optional<Long> since = since(ctx.queryParam("since"));
            Optional<Long> pruned = ChangeLogRetention.mark(jdbi);
            if (since.isPresent() && pruned.isPresent() && since.get() < pruned.get()) {
                throw new InvalidRequestException("cursor_expired", 410, "changes after cursor " + since.get()
                        + " are no longer kept (STEADFAST_CHANGE_LOG_RETENTION_HOURS): read the current state from the "
                        + "REST API, then connect without since");
            }
        });
        routes.ws("/v1/sync", ws -> {
            ws.onConnect(ctx -> {
                ctx.enableAutomaticPings();
                long businessId = caller(ctx.header("Authorization"), ctx.queryParam("ticket")).businessId();
                clients.put(ctx.sessionId(), hub.subscribe(new Client(ctx, businessId,
                        "true".equals(ctx.queryParam("ready"))), since(ctx.queryParam("since"))));
            });
            ws.onClose(ctx -> leave(ctx.sessionId()));
            ws.onError(ctx -> leave(ctx.sessionId()));
        });
    }

    /** The credential in the Authorization header, or else the ticket of a browser, which cannot set that header. */
    private Caller caller(String authorization, String ticket) {
        return authorization == null && ticket != null ? tokens.verifyTicket(ticket) : auth.authenticate(authorization);
    }

    private void leave(String sessionId) {
        Subscription client = clients.remove(sessionId);
        if (client != null) {
            client.close();
        }
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

    /** Writes to one socket, waiting for each batch to be written, so a client that stops reading fills its queue. */
    private record Client(WsContext ctx, long businessId, boolean wantsReady) implements Subscription.Sink {
        @Override
        public void send(List<String> messages) throws Exception {
            if (!ctx.session.isOpen()) {
                throw new IllegalStateException("the socket is closed");
            }
            // queued together, Jetty's flusher gathers the frames into one write; they complete in order
            Callback.Completable last = null;
            for (String message : messages) {
                last = new Callback.Completable();
                ctx.session.sendText(message, last);
            }
            last.get();
        }

        @Override
        public void close(int code, String reason) {
            ctx.session.close(code, reason, Callback.from(() -> { }, failure -> ctx.session.disconnect()));
            Thread.ofVirtual().start(() -> { // a client that reads nothing never takes the close frame either
                try {
                    Thread.sleep(CLOSE_GRACE);
                } catch (InterruptedException e) {
                    return;
                }
                if (ctx.session.isOpen()) {
                    ctx.session.disconnect();
                }
            });
        }
    }
}
