package io.steadfast.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.History.Outcome;
import io.steadfast.simulator.ShopifyDelivery;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges the order deliveries of a history against the order and its audit log as the API shows them: every
 * acknowledged delivery audited exactly once, none failed; the order holds the newest version that was stored; its
 * version is the number of deliveries applied; no required field empty; a live client saw that final state.
 */
public final class OrderChecker {
    public static final String LOST = "acknowledged delivery not audited";
    public static final String DUPLICATE = "delivery audited more than once";
    public static final String FAILED = "delivery failed";
    public static final String NOT_LATEST = "order does not hold its newest version";
    public static final String VERSION = "version is not the number of applied deliveries";
    public static final String MISSING_FIELD = "required field empty";
    public static final String NOT_LIVE = "live client did not see the final state";

    private OrderChecker() {
    }

    /** What the deployment shows for one order: the order (empty when absent), its audit rows, the live view. */
    public record OrderObservation(long orderId, Optional<JsonNode> order, List<JsonNode> audit, Optional<JsonNode> live) {
    }

    public static Verdict check(History history, List<ShopifyDelivery> sent, List<OrderObservation> seen) {
        Map<String, Outcome> outcomes = history.outcomes();
        Map<String, ShopifyDelivery> byWebhook = new HashMap<>();
        sent.forEach(d -> byWebhook.put(d.webhookId(), d));
        Findings findings = new Findings();
        long stored = 0;
        long duplicates = 0;
        long lost = 0;
        long orderViolations = 0;
        for (OrderObservation o : seen) {
            Map<String, Integer> auditedTimes = new HashMap<>();
            long processed = 0;
            Instant newestStored = null;
            for (JsonNode a : o.audit()) {
                String webhook = a.path("webhook_id").asText();
                String outcome = a.path("outcome").asText();
                if (outcome.equals("failed")) {
                    findings.add(FAILED, "order " + o.orderId() + ", webhook " + webhook + ": " + a.path("reason").asText());
                    continue;
                }
                auditedTimes.merge(webhook, 1, Integer::sum);
                if (outcome.equals("processed")) {
                    processed++;
                }
                Instant at = Instant.parse(a.path("updated_at").asText());
                newestStored = newestStored == null || at.isAfter(newestStored) ? at : newestStored;
            }
            for (ShopifyDelivery d : sent) {
                if (d.version().orderId() == o.orderId() && auditedTimes.containsKey(d.webhookId())) {
                    stored++;
                }
            }
            for (var e : auditedTimes.entrySet()) {
                if (e.getValue() > 1) {
                    duplicates += e.getValue() - 1;
                    findings.add(DUPLICATE, "webhook " + e.getKey() + " audited " + e.getValue() + " times");
                }
            }
            for (ShopifyDelivery d : sent) {
                if (d.version().orderId() == o.orderId() && outcomes.get(d.webhookId()) == Outcome.OK
                        && !auditedTimes.containsKey(d.webhookId())) {
                    lost++;
                    findings.add(LOST, "webhook " + d.webhookId() + " of order " + o.orderId());
                }
            }
            if (o.order().isEmpty()) {
                if (newestStored != null) {
                    findings.add(NOT_LATEST, "order " + o.orderId() + " is missing but has processed deliveries");
                }
                continue;
            }
            JsonNode order = o.order().get();
            Instant holds = Instant.parse(order.path("updated_at").asText());
            if (newestStored != null && !holds.equals(newestStored)) {
                orderViolations++;
                findings.add(NOT_LATEST, "order " + o.orderId() + " holds " + holds + ", newest stored " + newestStored);
            }
            if (order.path("version").asLong() != processed) {
                findings.add(VERSION, "order " + o.orderId() + " is at version " + order.path("version").asLong()
                        + " after " + processed + " applied deliveries");
            }
            for (String field : List.of("currency", "total_price", "line_items", "placed_at", "updated_at", "shop_domain")) {
                if (order.path(field).isNull() || order.path(field).isMissingNode()) {
                    findings.add(MISSING_FIELD, "order " + o.orderId() + " has no " + field);
                }
            }
            if (o.live().isEmpty() || !o.live().get().path("updated_at").equals(order.path("updated_at"))
                    || o.live().get().path("version").asLong() != order.path("version").asLong()) {
                findings.add(NOT_LIVE, "order " + o.orderId() + ": live client has "
                        + o.live().map(l -> l.path("updated_at").asText() + " v" + l.path("version").asLong()).orElse("nothing")
                        + ", the API " + order.path("updated_at").asText() + " v" + order.path("version").asLong());
            }
        }
        long acknowledged = sent.stream().map(ShopifyDelivery::webhookId).distinct()
                .filter(w -> outcomes.get(w) == Outcome.OK).count();
        long events = sent.stream().map(ShopifyDelivery::webhookId).distinct().count();
        return findings.verdict(events, acknowledged, stored, duplicates, lost, orderViolations);
    }
}
