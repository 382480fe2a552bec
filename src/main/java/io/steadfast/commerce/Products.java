package io.steadfast.commerce;

import io.steadfast.db.BusinessScope;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.idempotency.Idempotency;
import io.steadfast.idempotency.IdempotencyKey;
import io.steadfast.json.Json;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The store's products and their stock. Every change of stock on hand is one guarded statement with its movement row:
 * it changes the product only where what is left still covers what is reserved, so concurrent changes cannot take
 * stock below zero or below its reservations (and the CHECK constraints would refuse it anyway).
 */
public final class Products {
    private final Jdbi jdbi;

    public Products(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A new product, {@code draft}, with its first stock; a SKU the business already uses is a 409. */
    public Product create(long businessId, String actor, String sku, String name, long price, String currency,
                          long stock) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> {
            Product p = h.createQuery("INSERT INTO product (business_id, sku, name, price, currency, on_hand) "
                            + "VALUES (:business_id, :sku, :name, :price, :currency, :stock) ON CONFLICT DO NOTHING "
                            + "RETURNING " + Product.COLUMNS)
                    .bind("business_id", businessId).bind("sku", sku).bind("name", name).bind("price", price)
                    .bind("currency", currency).bind("stock", stock).map((rs, ctx) -> Product.map(rs)).findOne()
                    .orElseThrow(() -> new InvalidRequestException("sku_taken", 409, "a product with sku \"" + sku
                            + "\" exists already; SKUs are unique within a business"));
            if (stock > 0) {
                movement(h, businessId, p.id(), stock, "initial", "created with " + stock, null);
            }
            ProductAdmin.audit(h, businessId, actor, "create", null, p);
            return p;
        });
    }

    /** Products of the business by id, deleted ones left out, after {@code afterId}. */
    public java.util.List<Product> list(long businessId, long afterId, int limit) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("SELECT " + Product.COLUMNS
                        + " FROM product WHERE business_id = :business_id AND id > :after AND deleted_at IS NULL "
                        + "ORDER BY id LIMIT :limit")
                .bind("business_id", businessId).bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> Product.map(rs)).list());
    }

    public Optional<Product> find(long businessId, long id) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("SELECT " + Product.COLUMNS
                        + " FROM product WHERE business_id = :business_id AND id = :id")
                .bind("business_id", businessId).bind("id", id).map((rs, ctx) -> Product.map(rs)).findOne());
    }

    /**
     * Puts a draft or disabled product on sale; an active one stays as it is; an archived or deleted one is a 409
     * saying which.
     */
    public Product activate(long businessId, String actor, long id) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> {
            Product before = find(h, businessId, id);
            Product after = h.createQuery("UPDATE product SET status = 'active', updated_at = now() "
                            + "WHERE business_id = :business_id AND id = :id AND deleted_at IS NULL "
                            + "AND status IN ('draft', 'disabled') "
                            + "RETURNING " + Product.COLUMNS)
                    .bind("business_id", businessId).bind("id", id).map((rs, ctx) -> Product.map(rs)).findOne()
                    .orElse(null);
            if (after != null) {
                ProductAdmin.audit(h, businessId, actor, "activate", before, after);
                return after;
            }
            Product now = find(h, businessId, id);
            if (now.status().equals("active") && now.deletedAt() == null) {
                return now;
            }
            throw new InvalidRequestException("invalid_transition", 409, "product " + id + " is "
                    + (now.deletedAt() != null ? "deleted" : now.status()) + "; only a draft or a disabled product is "
                    + "activated (restore an archived one first)");
        });
    }

    /**
     * Adds {@code delta} units on hand (removes, when negative), once per key. Taking away more than is available
     * ({@code on_hand - reserved}) is a {@code 409 out_of_stock}, and nothing is written.
     */
    public Idempotency.Answer adjust(long businessId, String actor, IdempotencyKey key, long id, long delta,
                                     String reason) {
        return BusinessScope.inBusiness(jdbi, businessId, tx -> Idempotency.once(tx, businessId, key, h -> {
            Product p = h.createQuery("UPDATE product SET on_hand = on_hand + :delta, updated_at = now() "
                            + "WHERE business_id = :business_id AND id = :id AND on_hand + :delta >= reserved "
                            + "RETURNING " + Product.COLUMNS)
                    .bind("delta", delta).bind("business_id", businessId).bind("id", id)
                    .map((rs, ctx) -> Product.map(rs)).findOne()
                    .orElseThrow(() -> {
                        Product now = find(h, businessId, id);
                        return new InvalidRequestException("out_of_stock", 409, "product " + id + " has " + now.available()
                                + " available (" + now.onHand() + " on hand, " + now.reserved() + " reserved), fewer than "
                                + -delta + "; nothing was written");
                    });
            movement(h, businessId, id, delta, "adjustment", reason, null);
            ProductAdmin.audit(h, businessId, actor, "stock", p.withOnHand(p.onHand() - delta), p);
            return new Idempotency.Answer(200, Json.write(p.json()));
        }));
    }

    static Product find(Handle h, long businessId, long id) {
        return h.createQuery("SELECT " + Product.COLUMNS + " FROM product WHERE business_id = :business_id AND id = :id")
                .bind("business_id", businessId).bind("id", id).map((rs, ctx) -> Product.map(rs)).findOne()
                .orElseThrow(() -> InvalidRequestException.notFound("no product has id " + id));
    }

    /** The movement row of a change of stock on hand, in the transaction that made it; {@code orderId} may be null. */
    static void movement(Handle h, long businessId, long productId, long delta, String kind, String reason,
                         Long orderId) {
        h.createUpdate("INSERT INTO stock_movement (business_id, product_id, delta, kind, reason, order_id) "
                        + "VALUES (:business_id, :product_id, :delta, :kind, :reason, :order_id)")
                .bind("business_id", businessId).bind("product_id", productId).bind("delta", delta).bind("kind", kind)
                .bind("reason", reason).bind("order_id", orderId).execute();
    }
}
