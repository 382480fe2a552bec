package io.steadfast.commerce;

import io.steadfast.db.BusinessScope;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.inbox.Jobs;
import io.steadfast.inbox.NewEvent;
import io.steadfast.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Carts reserve stock for a while. Reserving is the guarded update of {@link StockLines} on {@code reserved}; the
 * reservation ends exactly once, by an update of the cart from {@code active}: to {@code ordered} (the order takes the
 * reserved units) or to {@code expired} (a job on the inbox engine, due when the cart expires, gives them back).
 */
public final class Carts {
    public static final String EXPIRY_EVENT = "store.cart_expiry";
    private static final String RESERVE = "UPDATE product SET reserved = reserved + :quantity, updated_at = now() WHERE "
            + StockLines.FOR_SALE_AND_AVAILABLE;

    private final Jdbi jdbi;

    public Carts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Reserves every line for {@code ttl}, or nothing: 422 naming a line not for sale, 409 naming every short one. */
    public Cart reserve(long businessId, List<OrderLine> lines, Duration ttl) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> {
            StockLines.forSale(h, businessId, lines);
            StockLines.take(h, businessId, lines, RESERVE);
            record Made(long id, Instant expiresAt, Instant createdAt) {
            }
            Made cart = h.createQuery("INSERT INTO cart (business_id, expires_at) "
                            + "VALUES (:business_id, now() + make_interval(secs => :seconds)) "
                            + "RETURNING id, expires_at, created_at")
                    .bind("business_id", businessId).bind("seconds", ttl.toSeconds())
                    .map((rs, ctx) -> new Made(rs.getLong("id"),
                            rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                    .one();
            for (OrderLine line : lines) {
                h.createUpdate("INSERT INTO cart_item (business_id, cart_id, product_id, quantity) "
                                + "VALUES (:business_id, :cart_id, :product_id, :quantity)")
                        .bind("business_id", businessId).bind("cart_id", cart.id()).bind("product_id", line.productId())
                        .bind("quantity", line.quantity()).execute();
            }
            Jobs.enqueue(h, new NewEvent(Wallets.SOURCE, Long.toString(businessId), "cart-expiry:" + cart.id(),
                    EXPIRY_EVENT, Json.write(Map.of("business_id", businessId, "cart_id", cart.id()))), cart.expiresAt());
            return new Cart(cart.id(), "active", cart.expiresAt(), cart.createdAt(), lines);
        });
    }

    public Optional<Cart> find(long businessId, long id) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> find(h, businessId, id));
    }

    static Optional<Cart> find(Handle h, long businessId, long id) {
        List<OrderLine> items = items(h, businessId, id);
        return h.createQuery("SELECT id, status, expires_at, created_at FROM cart WHERE business_id = :business_id "
                        + "AND id = :id")
                .bind("business_id", businessId).bind("id", id)
                .map((rs, ctx) -> new Cart(rs.getLong("id"), rs.getString("status"),
                        rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(), items))
                .findOne();
    }

    /**
     * Moves an active, unexpired cart to {@code ordered} and returns its lines, whose reserved units the order now
     * takes; a cart that is not active (ordered, expired) is a 409 naming what became of it.
     */
    static List<OrderLine> checkOut(Handle h, long businessId, long cartId) {
        int moved = h.createUpdate("UPDATE cart SET status = 'ordered', resolved_at = now() WHERE business_id = "
                        + ":business_id AND id = :id AND status = 'active' AND expires_at > now()")
                .bind("business_id", businessId).bind("id", cartId).execute();
        if (moved == 0) {
            Cart cart = find(h, businessId, cartId).orElseThrow(() -> new InvalidRequestException("invalid_order", 422,
                    "cart_id: no cart has id " + cartId + "; nothing was written"));
            throw new InvalidRequestException("cart_not_active", 409, "cart " + cartId + " is "
                    + (cart.status().equals("active") ? "expired" : cart.status())
                    + "; its reservation has ended, so order its items again (or make a new cart)");
        }
        return items(h, businessId, cartId);
    }

    /**
     * Gives back the stock of the carts whose time is up, those still active: every product's units at once, in
     * product-id order across all the carts. A cart the database's clock does not yet see as expired (the worker's
     * clock ran ahead) is an error, so that the job is tried again later.
     */
    static void expire(Handle tx, long businessId, List<Long> cartIds) {
        Long[] ids = cartIds.toArray(Long[]::new);
        List<Long> expired = tx.createQuery("UPDATE cart SET status = 'expired', resolved_at = now() "
                        + "WHERE business_id = :business_id AND id = ANY(:ids) AND status = 'active' "
                        + "AND expires_at <= now() RETURNING id")
                .bind("business_id", businessId).bind("ids", ids).mapTo(Long.class).list();
        tx.createQuery("SELECT id FROM cart WHERE business_id = :business_id AND id = ANY(:ids) AND status = 'active'")
                .bind("business_id", businessId).bind("ids", ids).mapTo(Long.class).findFirst().ifPresent(early -> {
                    throw new IllegalStateException("cart " + early + " does not expire yet by the database's clock");
                });
        tx.createQuery("SELECT product_id, sum(quantity) AS quantity FROM cart_item WHERE business_id = :business_id "
                        + "AND cart_id = ANY(:ids) GROUP BY product_id ORDER BY product_id")
                .bind("business_id", businessId).bind("ids", expired.toArray(Long[]::new))
                .map((rs, ctx) -> new OrderLine(0, rs.getLong("product_id"), rs.getLong("quantity"))).list()
                .forEach(line -> tx.createUpdate("UPDATE product SET reserved = reserved - :quantity, updated_at = now() "
                                + "WHERE business_id = :business_id AND id = :id")
                        .bind("quantity", line.quantity()).bind("business_id", businessId).bind("id", line.productId())
                        .execute());
    }

    /** A cart's lines in product-id order, the order stock is always locked in. */
    private static List<OrderLine> items(Handle h, long businessId, long cartId) {
        return h.createQuery("SELECT product_id, quantity FROM cart_item WHERE business_id = :business_id "
                        + "AND cart_id = :cart_id ORDER BY product_id")
                .bind("business_id", businessId).bind("cart_id", cartId)
                .map((rs, ctx) -> new OrderLine(rs.getRow() - 1, rs.getLong("product_id"),
                        rs.getLong("quantity")))
                .list();
    }
}
