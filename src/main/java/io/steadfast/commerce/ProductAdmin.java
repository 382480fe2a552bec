package io.steadfast.commerce;

import io.steadfast.db.BusinessScope;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The admin lifecycle of products, {@code draft -> active -> disabled -> archived}, soft delete and restore, made safe:
 * each action locks the product, measures its {@link Impact} and is refused while it would strand orders (archive
 * with undelivered orders or of an active product, delete with open orders or shipments on the way). Every change is
 * written with its audit row (actor, action, before, after) in the same transaction. A dry run does everything and
 * rolls back, so what it reports is exactly what a confirmed action would do.
 */
public final class ProductAdmin {
    /** What an admin may do to a product; all but restore need a confirmation. */
    public enum Action {
        DISABLE, ARCHIVE, DELETE, RESTORE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean destructive() {
            return this != RESTORE;
        }

        public static Optional<Action> parse(String id) {
            return java.util.Arrays.stream(values()).filter(a -> a.id().equals(id)).findFirst();
        }
    }

    /** What one action did (or, in a dry run, would do) to one product: {@code done}, {@code unchanged}, {@code refused}. */
    public record Outcome(long productId, String outcome, String code, String reason, Impact impact, Product product) {
        public boolean refused() {
            return outcome.equals("refused") || outcome.equals("not_found");
        }

        public Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", productId);
            json.put("outcome", outcome);
            if (reason != null) {
                json.put("error", code);
                json.put("reason", reason);
            }
            json.put("impact", impact.json());
            if (product != null) {
                json.put("product", product.json());
            }
            return json;
        }
    }

    private final Jdbi jdbi;

    public ProductAdmin(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What the action would touch, read without changing anything. */
    public Impact impact(long businessId, long productId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> {
            Products.find(h, businessId, productId);
            return Impact.of(h, businessId, productId);
        });
    }

    /** Applies the action to each product, all in one transaction; rolled back when {@code dryRun}. */
    public List<Outcome> apply(long businessId, String actor, Action action, List<Long> ids, boolean dryRun,
                               boolean allOrNothing) {
        List<Outcome> outcomes = new ArrayList<>();
        try {
            BusinessScope.inBusiness(jdbi, businessId, h -> {
                for (long id : ids.stream().sorted().toList()) { // product-id order, like every stock update
                    outcomes.add(apply(h, businessId, actor, action, id));
                }
                if (dryRun || allOrNothing && outcomes.stream().anyMatch(Outcome::refused)) {
                    throw new RolledBack();
                }
                return null;
            });
        } catch (RolledBack e) {
            if (!dryRun) {
                outcomes.replaceAll(o -> o.refused() ? o : new Outcome(o.productId(), "not_applied", null, null,
                        o.impact(), null));
            }
        }
        return outcomes;
    }

    /** Records an admin action that has no rules of its own (create, activate, a stock adjustment). */
    static void audit(Handle h, long businessId, String actor, String action, Product before, Product after) {
        h.createUpdate("INSERT INTO admin_audit (business_id, entity, entity_id, actor, action, before, after) "
                        + "VALUES (:business_id, 'product', :id, :actor, :action, :before::jsonb, :after::jsonb)")
                .bind("business_id", businessId).bind("id", (after != null ? after : before).id()).bind("actor", actor)
                .bind("action", action).bind("before", before == null ? null : Json.write(before.json()))
                .bind("after", after == null ? null : Json.write(after.json()))
                .execute();
    }

    private static Outcome apply(Handle h, long businessId, String actor, Action action, long id) {
        Optional<Product> locked = h.createQuery("SELECT " + Product.COLUMNS + " FROM product WHERE business_id = "
                        + ":business_id AND id = :id FOR UPDATE")
                .bind("business_id", businessId).bind("id", id).map((rs, ctx) -> Product.map(rs)).findOne();
        if (locked.isEmpty()) {
            return new Outcome(id, "not_found", "not_found", "no product has id " + id, Impact.NONE, null);
        }
        Product before = locked.get();
        Impact impact = Impact.of(h, businessId, id);
        Optional<String> refusal = refusal(action, before, impact);
        if (refusal.isPresent()) {
            String code = refusal.get().startsWith("in use") ? "product_in_use" : "invalid_transition";
            return new Outcome(id, "refused", code, "product " + id + " (" + before.sku() + ") "
                    + refusal.get().replaceFirst("^in use: ", ""), impact, before);
        }
        String change = switch (action) {
            case DISABLE -> before.status().equals("disabled") ? null : "status = 'disabled'";
            case ARCHIVE -> before.status().equals("archived") ? null : "status = 'archived'";
            case DELETE -> before.deletedAt() != null ? null : "deleted_at = now()";
            case RESTORE -> before.deletedAt() != null ? "deleted_at = NULL" : "status = 'disabled'";
        };
        if (change == null) {
            return new Outcome(id, "unchanged", null, null, impact, before);
        }
        Product after = h.createQuery("UPDATE product SET " + change + ", updated_at = now() WHERE business_id = "
                        + ":business_id AND id = :id RETURNING " + Product.COLUMNS)
                .bind("business_id", businessId).bind("id", id).map((rs, ctx) -> Product.map(rs)).one();
        audit(h, businessId, actor, action.id(), before, after);
        return new Outcome(id, "done", null, null, impact, after);
    }

    /** Why the action may not happen to the product now; "in use: ..." when orders stand in the way. */
    private static Optional<String> refusal(Action action, Product p, Impact impact) {
        boolean deleted = p.deletedAt() != null;
        return Optional.ofNullable(switch (action) {
            case DISABLE -> deleted ? "is deleted; restore it first"
                    : p.status().equals("active") || p.status().equals("disabled") ? null
                    : "is " + p.status() + "; only an active product is disabled";
            case ARCHIVE -> deleted ? "is deleted; restore it first"
                    : p.status().equals("active") ? "in use: is active and on sale; disable it first"
                    : impact.undelivered() > 0 ? "in use: is in " + impact.undelivered() + " orders not yet delivered ("
                    + impact.openOrders() + " open, " + impact.pendingShipments() + " shipped); archive it once they are"
                    : null;
            case DELETE -> impact.undelivered() > 0 ? "in use: is in " + impact.openOrders() + " open orders and "
                    + impact.pendingShipments() + " pending shipments; delete it once they are delivered or cancelled"
                    : null;
            case RESTORE -> deleted || p.status().equals("archived") ? null
                    : "is " + p.status() + " and not deleted; there is nothing to restore";
        });
    }

    /** The single-product form: a refusal is an error carrying the impact. */
    public Product applyOne(long businessId, String actor, Action action, long id) {
        Outcome o = apply(businessId, actor, action, List.of(id), false, true).getFirst();
        if (o.outcome().equals("not_found")) {
            throw InvalidRequestException.notFound(o.reason());
        }
        if (o.refused()) {
            throw new InvalidRequestException(o.code(), 409, o.reason() + "; nothing was changed")
                    .with("impact", o.impact().json());
        }
        return o.product();
    }

    /** Thrown to roll a dry run, or a refused all-or-nothing batch, back. */
    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super(null, null, false, false);
        }
    }
}
