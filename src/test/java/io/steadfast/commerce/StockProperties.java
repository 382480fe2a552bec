package io.steadfast.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.db.BusinessScope;
import io.steadfast.db.Database;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.fault.Faults;
import io.steadfast.idempotency.IdempotencyKey;
import io.steadfast.json.Json;
import io.steadfast.support.TestPostgres;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random store operations on three products and a wallet, run at once from four threads against real PostgreSQL:
 * orders (paid or not), carts, orders from carts, cancellations, cart expiries and stock adjustments. Whatever the
 * interleaving, units and money are conserved: on hand is what came in less what orders not cancelled took, reserved
 * is what active carts hold and never more than on hand, the wallet holds what it was given less what its orders not
 * cancelled paid, and movements and ledger sum to them.
 */
class StockProperties {
    static final Database database = Database.connectAsApplication(TestPostgres.freshDatabase(), 8, "stock-properties");
    static final long BUSINESS = database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM business WHERE name = "
            + "'default'").mapTo(Long.class).one());
    static final Products products = new Products(database.jdbi());
    static final Carts carts = new Carts(database.jdbi());
    static final Wallets wallets = new Wallets(database.jdbi());
    static final Orders orders = new Orders(database.jdbi(), new ShippingQuotes(new ShippingQuotes.Settings(
            Optional.empty(), Duration.ofSeconds(1), BigDecimal.ZERO, BigDecimal.TEN, Duration.ofSeconds(1))),
            new OrderNotifications.Settings(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(1)),
            new Faults());
    static final AtomicInteger runs = new AtomicInteger();
    static final AtomicLong keys = new AtomicLong();
    static final long STOCK = 12;
    static final long PRICE = 100;

    @AfterContainer
    static void close() {
        database.close();
    }

    enum Kind { ORDER, PAID_ORDER, CART, CHECKOUT, CANCEL, EXPIRE, ADJUST }

    record Op(Kind kind, int product, int other, int quantity, int index) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(0, 9)).as(Op::new).list().ofMinSize(1).ofMaxSize(50);
    }

    /** What one run started with and what its successful operations moved. */
    static final class Run {
        final List<Long> productIds = new ArrayList<>();
        final long wallet;
        final Map<Long, AtomicLong> adjusted = new ConcurrentHashMap<>();
        final List<Long> cartIds = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Long> orderIds = java.util.Collections.synchronizedList(new ArrayList<>());

        Run(int n) {
            for (int i = 0; i < 3; i++) {
                Product p = products.create(BUSINESS, "test", "R" + n + "-" + i, "p", PRICE, "USD", STOCK);
                products.activate(BUSINESS, "test", p.id());
                productIds.add(p.id());
                adjusted.put(p.id(), new AtomicLong());
            }
            wallet = wallets.open(BUSINESS, "stock-prop-" + n, "USD").getKey().id();
            wallets.credit(BUSINESS, key(), wallet, 2_000, null);
        }
    }

    @Property(tries = 20)
    void concurrent_store_operations_conserve_units_and_money(@ForAll("ops") List<Op> ops) throws Exception {
        Run run = new Run(runs.incrementAndGet());
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (Op op : ops) {
                done.add(threads.submit(() -> apply(run, op)));
            }
            for (Future<?> f : done) {
                f.get(); // an operation's own failure fails the property
            }
        }
        List<StoreOrder> placed = run.orderIds.stream().distinct()
                .map(id -> orders.find(BUSINESS, id).orElseThrow()).toList();
        for (long product : run.productIds) {
            Product p = products.find(BUSINESS, product).orElseThrow();
            long sold = placed.stream().filter(o -> !o.status().equals("cancelled")).flatMap(o -> o.items().stream())
                    .filter(i -> i.productId() == product).mapToLong(StoreOrder.Item::quantity).sum();
            long inCarts = sql("SELECT coalesce(sum(i.quantity), 0) FROM cart_item i JOIN cart c ON c.business_id = "
                    + "i.business_id AND c.id = i.cart_id WHERE c.status = 'active' AND i.product_id = " + product);
            assertThat(p.onHand()).as("product " + product).isEqualTo(STOCK + run.adjusted.get(product).get() - sold)
                    .isEqualTo(sql("SELECT coalesce(sum(delta), 0) FROM stock_movement WHERE product_id = " + product));
            assertThat(p.reserved()).isEqualTo(inCarts).isBetween(0L, p.onHand());
        }
        long paid = placed.stream().filter(o -> o.walletId() != null && !o.status().equals("cancelled"))
                .mapToLong(StoreOrder::total).sum();
        Wallet w = wallets.find(BUSINESS, run.wallet).orElseThrow();
        assertThat(w.balance()).isEqualTo(2_000 - paid)
                .isEqualTo(sql("SELECT coalesce(sum(amount), 0) FROM wallet_entry WHERE wallet_id = " + run.wallet));
    }

    private static void apply(Run run, Op op) {
        long product = run.productIds.get(op.product());
        long other = run.productIds.get(op.other());
        List<OrderLine> lines = product == other ? List.of(new OrderLine(0, product, op.quantity()))
                : List.of(new OrderLine(0, product, op.quantity()), new OrderLine(1, other, 1));
        try {
            switch (op.kind()) {
                case ORDER, PAID_ORDER -> place(run, new Orders.Request(Optional.empty(), lines,
                        op.kind() == Kind.PAID_ORDER ? Optional.of(run.wallet) : Optional.empty(), Optional.empty(),
                        Optional.empty()));
                case CART -> run.cartIds.add(carts.reserve(BUSINESS, lines, Duration.ofMinutes(5)).id());
                case CHECKOUT -> at(run.cartIds, op.index()).ifPresent(cart -> place(run, new Orders.Request(
                        Optional.of(cart), List.of(), Optional.empty(), Optional.empty(), Optional.empty())));
                case CANCEL -> at(run.orderIds, op.index()).ifPresent(order -> orders.cancel(BUSINESS, order));
                case EXPIRE -> at(run.cartIds, op.index()).ifPresent(cart -> expireNow(
                        List.of(cart, at(run.cartIds, op.index() + 1 + op.quantity()).orElseThrow()).stream()
                                .distinct().toList()));
                case ADJUST -> {
                    long delta = op.index() < 5 ? op.quantity() : -op.quantity();
                    products.adjust(BUSINESS, "test", key(), product, delta, null);
                    run.adjusted.get(product).addAndGet(delta);
                }
            }
        } catch (InvalidRequestException e) { // refused, and nothing written
            assertThat(e.code()).as(e.getMessage()).isIn("out_of_stock", "insufficient_funds", "cart_not_active",
                    "invalid_transition");
        }
    }

    private static void place(Run run, Orders.Request request) {
        run.orderIds.add(Json.parse(orders.place(BUSINESS, key(), request).body()).path("id").asLong());
    }

    /**
     * The time of two carts is up now, and their expiry jobs run as one batch (a second run, or one after an order,
     * changes nothing).
     */
    private static void expireNow(List<Long> cartIds) {
        database.jdbi().useTransaction(h -> {
            BusinessScope.actFor(h, List.of(BUSINESS));
            h.createUpdate("UPDATE cart SET expires_at = now() - interval '1 second' WHERE id = ANY(:ids)")
                    .bind("ids", cartIds.toArray(Long[]::new)).execute();
        });
        database.jdbi().useTransaction(h -> {
            BusinessScope.actFor(h, List.of(BUSINESS));
            Carts.expire(h, BUSINESS, cartIds);
            Carts.expire(h, BUSINESS, cartIds);
        });
    }

    private static Optional<Long> at(List<Long> ids, int index) {
        synchronized (ids) {
            return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(index % ids.size()));
        }
    }

    private static IdempotencyKey key() {
        return new IdempotencyKey("s-" + keys.incrementAndGet(), new byte[32]);
    }

    private static long sql(String query) {
        return database.jdbi().inTransaction(h -> {
            BusinessScope.actFor(h, List.of(BUSINESS));
            return h.createQuery(query).mapTo(Long.class).one();
        });
    }
}
