package io.steadfast.commerce;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * What an admin action on a product would touch: orders not yet shipped ({@code placed}, {@code paid}), orders
 * shipped and not delivered, units held by active carts, and those carts.
 */
public record Impact(long openOrders, long pendingShipments, long activeReservations, long carts) {
    static final Impact NONE = new Impact(0, 0, 0, 0);

    static Impact of(Handle h, long businessId, long productId) {
        return h.createQuery("""
                        SELECT (SELECT count(*) FROM store_order o JOIN store_order_item i
                                  ON i.business_id = o.business_id AND i.order_id = o.id
                                WHERE i.business_id = :business_id AND i.product_id = :id
                                  AND o.status IN ('placed', 'paid')) AS open_orders,
                               (SELECT count(*) FROM store_order o JOIN store_order_item i
                                  ON i.business_id = o.business_id AND i.order_id = o.id
                                WHERE i.business_id = :business_id AND i.product_id = :id
                                  AND o.status = 'shipped') AS pending_shipments,
                               (SELECT coalesce(sum(ci.quantity), 0) FROM cart c JOIN cart_item ci
                                  ON ci.business_id = c.business_id AND ci.cart_id = c.id
                                WHERE ci.business_id = :business_id AND ci.product_id = :id
                                  AND c.status = 'active') AS active_reservations,
                               (SELECT count(*) FROM cart c JOIN cart_item ci
                                  ON ci.business_id = c.business_id AND ci.cart_id = c.id
                                WHERE ci.business_id = :business_id AND ci.product_id = :id
                                  AND c.status = 'active') AS carts
                        """)
                .bind("business_id", businessId).bind("id", productId)
                .map((rs, ctx) -> new Impact(rs.getLong("open_orders"), rs.getLong("pending_shipments"),
                        rs.getLong("active_reservations"), rs.getLong("carts")))
                .one();
    }

    /** Orders that have not reached the customer: archiving is refused while there are any. */
    long undelivered() {
        return openOrders + pendingShipments;
    }

    public Impact plus(Impact other) {
        return new Impact(openOrders + other.openOrders, pendingShipments + other.pendingShipments,
                activeReservations + other.activeReservations, carts + other.carts);
    }

    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("open_orders", openOrders);
        json.put("pending_shipments", pendingShipments);
        json.put("active_reservations", activeReservations);
        json.put("carts", carts);
        return json;
    }
}
