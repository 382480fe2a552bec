package io.steadfast.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.inbox.AppendResult;
import io.steadfast.inbox.Appender;
import io.steadfast.inbox.IncomingRequest;
import io.steadfast.inbox.NewEvent;
import io.steadfast.json.Json;
import io.steadfast.orders.OrderPayloadParser;
import io.steadfast.orders.OrderSnapshot;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Shopify does not guarantee webhook delivery and says to reconcile. This pages the Admin API's orders by
 * {@code updated_at} since the shop's cursor and puts each order into the inbox as a delivery of its own, so it
 * takes the webhook's path: deduplicated (one delivery per order version), applied last-writer-wins, audited.
 */
public final class Reconciler {
    public static final String TOPIC = "reconcile";
    /** The first run of a shop looks this far back. */
    public static final Duration FIRST_LOOK_BACK = Duration.ofDays(30);

    private static final String READ_CURSOR = "SELECT updated_at_min FROM shopify_reconcile_cursor WHERE shop_domain = :shop";
    private static final String SAVE_CURSOR = """
            INSERT INTO shopify_reconcile_cursor (shop_domain, updated_at_min, last_run_at) VALUES (:shop, :at, :now)
            ON CONFLICT (shop_domain) DO UPDATE SET updated_at_min = EXCLUDED.updated_at_min, last_run_at = EXCLUDED.last_run_at
            """;

    private final Jdbi jdbi;
    private final Appender appender;
    private final AdminApiClient admin;
    private final Clock clock;

    public Reconciler(Jdbi jdbi, Appender appender, AdminApiClient admin, Clock clock) {
        this.jdbi = jdbi;
        this.appender = appender;
        this.admin = admin;
        this.clock = clock;
    }

    /** What one run found. {@code rejected} names orders Steadfast could not store, with the reason. */
    public record Result(String shop, Instant since, Instant cursor, int pages, int fetched, int newDeliveries,
                         int alreadyKnown, List<String> rejected) {
    }

    /** Reconciles {@code shop} from {@code since}, or from where its last run ended. */
    public Result run(String shop, Optional<Instant> since) {
        Instant from = since.orElseGet(() -> jdbi.withHandle(h -> h.createQuery(READ_CURSOR).bind("shop", shop)
                .mapTo(Instant.class).findOne()).orElse(clock.instant().minus(FIRST_LOOK_BACK)));
        Instant cursor = from;
        int pages = 0;
        int fetched = 0;
        int added = 0;
        int known = 0;
        List<String> rejected = new ArrayList<>();
        AdminApiClient.Page page = admin.firstPage(from);
        while (true) {
            pages++;
            List<NewEvent> events = new ArrayList<>();
            for (JsonNode order : page.orders()) {
                fetched++;
                OrderSnapshot snapshot;
                try {
                    snapshot = OrderPayloadParser.parse(order);
                } catch (InvalidRequestException e) {
                    rejected.add("order " + order.path("id").asText("?") + ": " + e.getMessage());
                    continue;
                }
                events.add(event(shop, order, snapshot));
                if (snapshot.updatedAt().isAfter(cursor)) {
                    cursor = snapshot.updatedAt();
                }
            }
            if (!events.isEmpty()) {
                AppendResult result = appender.append(IncomingRequest.of(Shopify.SOURCE,
                        Map.of("x-steadfast-reconcile", shop), page.body(), clock.instant()), events);
                added += result.accepted();
                known += result.duplicates();
            }
            Optional<URI> next = page.next();
            if (next.isEmpty()) {
                break;
            }
            page = admin.page(next.get());
        }
        Instant end = cursor;
        jdbi.useHandle(h -> h.createUpdate(SAVE_CURSOR).bind("shop", shop).bind("at", end).bind("now", clock.instant())
                .execute());
        return new Result(shop, from, end, pages, fetched, added, known, rejected);
    }

    /** One delivery per order version: running again, or overlapping a webhook of that version, adds nothing. */
    private static NewEvent event(String shop, JsonNode order, OrderSnapshot snapshot) {
        String deliveryId = "reconcile:" + snapshot.shopifyOrderId() + ":" + snapshot.updatedAt();
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("topic", TOPIC);
        payload.put("shop_domain", shop);
        payload.put("webhook_id", deliveryId);
        payload.putNull("event_id");
        payload.putNull("triggered_at");
        payload.putNull("api_version");
        payload.set("order", order);
        return new NewEvent(Shopify.SOURCE, shop, deliveryId, Shopify.ORDER_EVENT, payload.toString());
    }
}
