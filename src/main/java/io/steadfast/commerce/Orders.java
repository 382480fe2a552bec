package io.steadfast.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.db.BusinessScope;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.error.SteadfastException;
import io.steadfast.fault.Faults;
import io.steadfast.idempotency.Idempotency;
import io.steadfast.idempotency.IdempotencyKey;
import io.steadfast.json.Json;
import io.steadfast.realtime.Changes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Store orders. Placing one is a single transaction, once per key: the cart's reservation or every line's stock taken
 * (guarded updates in product-id order), the wallet debited when it pays, the order, its items, its notifications and
 * the live feed's change written; or nothing at all. The shipping quote is asked before that transaction, so a slow
 * rate service holds no locks. Ship, deliver and cancel move an order forward only, each an update from the states
 * it may come from; cancel puts the stock back and refunds a wallet payment in the same transaction, so once.
 */
public final class Orders {
    private static final String FROM_STOCK = "UPDATE product SET on_hand = on_hand - :quantity, updated_at = now() "
            + "WHERE " + StockLines.FOR_SALE_AND_AVAILABLE;
    private static final String FROM_RESERVATION = "UPDATE product SET on_hand = on_hand - :quantity, "
            + "reserved = reserved - :quantity, updated_at = now() WHERE business_id = :business_id AND id = :id";

    /** What an order asks: a cart or lines, and optionally the wallet that pays, where it goes, whom to email. */
    public record Request(Optional<Long> cartId, List<OrderLine> items, Optional<Long> walletId,
                          Optional<JsonNode> shippingAddress, Optional<String> email) {
    }

    private record Prepared(List<OrderLine> lines, String currency, long subtotal, List<Map<String, Object>> quoted) {
    }

    private final Jdbi jdbi;
    private final ShippingQuotes quotes;
    private final OrderNotifications.Settings notifications;
    private final Faults faults;

    public Orders(Jdbi jdbi, ShippingQuotes quotes, OrderNotifications.Settings notifications, Faults faults) {
        this.jdbi = jdbi;
        this.quotes = quotes;
        this.notifications = notifications;
        this.faults = faults;
    }

    public Idempotency.Answer place(long businessId, IdempotencyKey key, Request request) {
        Optional<Idempotency.Answer> earlier = BusinessScope.inBusiness(jdbi, businessId,
                h -> Idempotency.answered(h, businessId, key));
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Prepared prepared = BusinessScope.inBusiness(jdbi, businessId, h -> prepare(h, businessId, request));
        ShippingQuotes.Quote quote = quotes.quote(prepared.currency(), prepared.quoted(), prepared.subtotal(),
                request.shippingAddress());
        return BusinessScope.inBusiness(jdbi, businessId, tx -> Idempotency.once(tx, businessId, key,
                h -> write(h, businessId, request, prepared, quote)));
    }

    /** The lines checked for sale, in one currency the wallet (if any) also holds, and their subtotal. */
    private static Prepared prepare(Handle h, long businessId, Request request) {
        List<OrderLine> lines = request.cartId().map(id -> Carts.find(h, businessId, id)
                        .orElseThrow(() -> invalid("cart_id: no cart has id " + id)).items())
                .orElse(request.items());
        Map<Long, Product> products = StockLines.forSale(h, businessId, lines);
        String currency = products.values().iterator().next().currency();
        request.walletId().ifPresent(walletId -> {
            Wallet w = Wallets.find(h, businessId, walletId).orElseThrow(() -> invalid("wallet_id: no wallet has id "
                    + walletId));
            if (!w.currency().equals(currency)) {
                throw invalid("wallet_id: wallet " + walletId + " holds " + w.currency() + ", the order is in " + currency);
            }
        });
        List<Map<String, Object>> quoted = lines.stream().map(l -> {
            Product p = products.get(l.productId());
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("product_id", p.id());
            item.put("sku", p.sku());
            item.put("quantity", l.quantity());
            item.put("unit_price", Money.format(p.price(), currency));
            return item;
        }).toList();
        return new Prepared(lines, currency, subtotal(lines, products), quoted);
    }

    private Idempotency.Answer write(Handle h, long businessId, Request request, Prepared prepared,
                                     ShippingQuotes.Quote quote) {
        List<OrderLine> lines = request.cartId().isPresent()
                ? Carts.checkOut(h, businessId, request.cartId().get()) : prepared.lines();
        Map<Long, Product> taken = StockLines.take(h, businessId, lines,
                request.cartId().isPresent() ? FROM_RESERVATION : FROM_STOCK);
        long subtotal = subtotal(lines, taken);
        long total = Math.addExact(subtotal, quote.amount());
        long orderId = h.createQuery("""
                        INSERT INTO store_order (business_id, status, currency, subtotal, shipping, shipping_source,
                                                 shipping_reason, total, wallet_id, cart_id, email, shipping_address)
                        VALUES (:business_id, :status, :currency, :subtotal, :shipping, :source, :reason, :total,
                                :wallet_id, :cart_id, :email, :address::jsonb)
                        RETURNING id
                        """)
                .bind("business_id", businessId).bind("status", request.walletId().isPresent() ? "paid" : "placed")
                .bind("currency", prepared.currency()).bind("subtotal", subtotal).bind("shipping", quote.amount())
                .bind("source", quote.source()).bind("reason", quote.reason().orElse(null)).bind("total", total)
                .bind("wallet_id", request.walletId().orElse(null)).bind("cart_id", request.cartId().orElse(null))
                .bind("email", request.email().orElse(null))
                .bind("address", request.shippingAddress().map(Json::write).orElse(null))
                .mapTo(Long.class).one();
        for (OrderLine line : lines) {
            h.createUpdate("INSERT INTO store_order_item (business_id, order_id, product_id, quantity, unit_price) "
                            + "VALUES (:business_id, :order_id, :product_id, :quantity, :unit_price)")
                    .bind("business_id", businessId).bind("order_id", orderId).bind("product_id", line.productId())
                    .bind("quantity", line.quantity()).bind("unit_price", taken.get(line.productId()).price()).execute();
            Products.movement(h, businessId, line.productId(), -line.quantity(), "order", "order " + orderId, orderId);
        }
        request.walletId().ifPresent(walletId -> Wallets.pay(h, businessId, walletId, total, orderId));
        OrderNotifications.plan(h, businessId, orderId, request.email(), notifications);
        Changes.record(h, Changes.STORE_ORDER, List.of(businessId), List.of(Long.toString(orderId)));
        if (faults.failCheckout()) {
            throw new SteadfastException("injected_failure", 500, "a failure was injected after order " + orderId
                    + " took its stock, before commit (fault injection is on); nothing was written");
        }
        return new Idempotency.Answer(201, Json.write(find(h, businessId, orderId).orElseThrow().json()));
    }

    private static long subtotal(List<OrderLine> lines, Map<Long, Product> products) {
        try {
            return lines.stream().mapToLong(l -> Math.multiplyExact(products.get(l.productId()).price(), l.quantity()))
                    .reduce(0, Math::addExact);
        } catch (ArithmeticException e) {
            throw invalid("the order's total is too large to keep");
        }
    }

    /** The business's orders, oldest first, after {@code afterId}. */
    public List<StoreOrder> list(long businessId, long afterId, int limit) {
        return list(businessId, "id > :from ORDER BY id", afterId, limit);
    }

    /** The newest orders first, strictly before {@code beforeId}. */
    public List<StoreOrder> newest(long businessId, long beforeId, int limit) {
        return list(businessId, "id < :from ORDER BY id DESC", beforeId, limit);
    }

    private List<StoreOrder> list(long businessId, String range, long from, int limit) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("SELECT id FROM store_order "
                        + "WHERE business_id = :business_id AND " + range + " LIMIT :limit")
                .bind("business_id", businessId).bind("from", from).bind("limit", limit).mapTo(Long.class).list()
                .stream().map(id -> find(h, businessId, id).orElseThrow()).toList());
    }

    public Optional<StoreOrder> find(long businessId, long id) {
        return read(jdbi, businessId, id);
    }

    /** One order as the API shows it, for readers that place none (the live feed). */
    public static Optional<StoreOrder> read(Jdbi jdbi, long businessId, long id) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> find(h, businessId, id));
    }

    static Optional<StoreOrder> find(Handle h, long businessId, long id) {
        List<StoreOrder.Item> items = h.createQuery("SELECT product_id, quantity, unit_price FROM store_order_item "
                        + "WHERE business_id = :business_id AND order_id = :id ORDER BY product_id")
                .bind("business_id", businessId).bind("id", id)
                .map((rs, ctx) -> new StoreOrder.Item(rs.getLong("product_id"), rs.getLong("quantity"),
                        rs.getLong("unit_price")))
                .list();
        Map<String, StoreOrder.Notification> notifications = new LinkedHashMap<>();
        h.createQuery("SELECT channel, status, reason FROM order_notification WHERE business_id = :business_id "
                        + "AND order_id = :id ORDER BY channel")
                .bind("business_id", businessId).bind("id", id)
                .map((rs, ctx) -> notifications.put(rs.getString("channel"),
                        new StoreOrder.Notification(rs.getString("status"), rs.getString("reason"))))
                .list();
        return h.createQuery("SELECT " + StoreOrder.COLUMNS + " FROM store_order WHERE business_id = :business_id "
                        + "AND id = :id")
                .bind("business_id", businessId).bind("id", id)
                .map((rs, ctx) -> StoreOrder.map(rs, items, notifications)).findOne();
    }

    public StoreOrder ship(long businessId, long id) {
        return move(businessId, id, "shipped", Set.of("placed", "paid"), "a placed or paid order");
    }

    public StoreOrder deliver(long businessId, long id) {
        return move(businessId, id, "delivered", Set.of("shipped"), "a shipped order");
    }

    /** Cancels a placed or paid order: its stock goes back and a wallet payment is refunded, in this transaction. */
    public StoreOrder cancel(long businessId, long id) {
        return move(businessId, id, "cancelled", Set.of("placed", "paid"), "a placed or paid order");
    }

    /**
     * Moves the order to {@code to} from one of {@code from}. An order already there stays as it is (a repeated
     * request changes nothing); any other state is a {@code 409 invalid_transition}.
     */
    private StoreOrder move(long businessId, long id, String to, Set<String> from, String applies) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> {
            boolean moved = h.createUpdate("UPDATE store_order SET status = :to, updated_at = now() "
                            + "WHERE business_id = :business_id AND id = :id AND status = ANY(:from)")
                    .bind("to", to).bind("business_id", businessId).bind("id", id)
                    .bind("from", from.toArray(String[]::new)).execute() == 1;
            StoreOrder order = find(h, businessId, id)
                    .orElseThrow(() -> InvalidRequestException.notFound("no order has id " + id));
            if (!moved && !order.status().equals(to)) {
                throw new InvalidRequestException("invalid_transition", 409, "order " + id + " is " + order.status()
                        + "; it can be " + to + " only as " + applies + " (orders move forward only)");
            }
            if (moved) {
                if (to.equals("cancelled")) {
                    putBack(h, order);
                }
                Changes.record(h, Changes.STORE_ORDER, List.of(businessId), List.of(Long.toString(id)));
            }
            return order;
        });
    }

    private static void putBack(Handle h, StoreOrder order) {
        for (StoreOrder.Item item : order.items()) { // in product-id order, like every stock update
            h.createUpdate("UPDATE product SET on_hand = on_hand + :quantity, updated_at = now() "
                            + "WHERE business_id = :business_id AND id = :id")
                    .bind("quantity", item.quantity()).bind("business_id", order.businessId()).bind("id", item.productId())
                    .execute();
            Products.movement(h, order.businessId(), item.productId(), item.quantity(), "cancel",
                    "order " + order.id() + " cancelled", order.id());
        }
        if (order.walletId() != null) {
            Wallets.refund(h, order.businessId(), order.walletId(), order.total(), order.id());
        }
    }

    private static InvalidRequestException invalid(String problem) {
        return new InvalidRequestException("invalid_order", 422, problem + "; nothing was written");
    }
}
