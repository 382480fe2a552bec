package io.steadfast.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.db.BusinessScope;
import io.steadfast.db.Database;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.idempotency.IdempotencyKey;
import io.steadfast.json.Json;
import io.steadfast.support.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random operations on one wallet, run at once from four threads against real PostgreSQL: whatever the interleaving,
 * money is conserved. The balance is what the successful credits brought in less what the successful debits and
 * captures took out, the ledger sums to it, held money is what active holds reserve, and nothing goes negative.
 */
class WalletProperties {
    static final Database database = Database.connectAsApplication(TestPostgres.freshDatabase(), 8, "wallet-properties");
    static final Wallets wallets = new Wallets(database.jdbi());
    static final long BUSINESS = database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM business WHERE name = "
            + "'default'").mapTo(Long.class).one());
    static final AtomicInteger customers = new AtomicInteger();
    static final AtomicLong keys = new AtomicLong();

    @AfterContainer
    static void close() {
        database.close();
    }

    enum Kind { CREDIT, DEBIT, HOLD, CAPTURE, VOID }

    record Op(Kind kind, long amount, int holdIndex) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.longs().between(1, 5_000),
                Arbitraries.integers().between(0, 7)).as(Op::new).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 25)
    void concurrent_operations_conserve_money(@ForAll("ops") List<Op> ops) throws Exception {
        long wallet = wallets.open(BUSINESS, "prop-" + customers.incrementAndGet(), "USD").getKey().id();
        List<Long> holds = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong moved = new AtomicLong(); // credits in, debits and captures out, as they succeed
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (Op op : ops) {
                done.add(threads.submit(() -> apply(wallet, op, holds, moved)));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(); // an operation's own failure fails the property
            }
        }
        Wallet w = wallets.find(BUSINESS, wallet).orElseThrow();
        long activeHolds = database.jdbi().inTransaction(h -> {
            BusinessScope.actFor(h, List.of(BUSINESS));
            return h.createQuery("SELECT coalesce(sum(amount), 0) FROM wallet_hold WHERE wallet_id = :id "
                    + "AND status = 'active'").bind("id", wallet).mapTo(Long.class).one();
        });
        long ledger = wallets.ledger(BUSINESS, wallet, 0, 1_000).stream().mapToLong(WalletEntry::amount).sum();

        assertThat(w.balance()).isEqualTo(moved.get()).isEqualTo(ledger).isNotNegative();
        assertThat(w.held()).isEqualTo(activeHolds).isBetween(0L, w.balance());
    }

    private static void apply(long wallet, Op op, List<Long> holds, AtomicLong moved) {
        IdempotencyKey key = new IdempotencyKey("k-" + keys.incrementAndGet(), new byte[32]);
        try {
            switch (op.kind()) {
                case CREDIT -> {
                    wallets.credit(BUSINESS, key, wallet, op.amount(), null);
                    moved.addAndGet(op.amount());
                }
                case DEBIT -> {
                    wallets.debit(BUSINESS, key, wallet, op.amount(), null);
                    moved.addAndGet(-op.amount());
                }
                case HOLD -> holds.add(Json.parse(wallets.hold(BUSINESS, Optional.of(key), wallet, op.amount(), Duration.ofMinutes(5))
                        .body()).path("id").asLong());
                case CAPTURE -> holdAt(holds, op).ifPresent(hold -> {
                    String captured = Json.parse(wallets.capture(BUSINESS, Optional.of(key), hold, Optional.empty()).body())
                            .path("captured").asText();
                    moved.addAndGet(-new java.math.BigDecimal(captured).movePointRight(2).longValueExact());
                });
                case VOID -> holdAt(holds, op).ifPresent(hold -> wallets.voidHold(BUSINESS, Optional.of(key), hold));
            }
        } catch (InvalidRequestException e) {
            assertThat(e.httpStatus()).as(e.getMessage()).isEqualTo(409); // refused, and nothing written
        }
    }

    private static Optional<Long> holdAt(List<Long> holds, Op op) {
        synchronized (holds) {
            return holds.isEmpty() ? Optional.empty() : Optional.of(holds.get(op.holdIndex() % holds.size()));
        }
    }
}
