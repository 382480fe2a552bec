package io.steadfast.db;

import java.util.Collection;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Which businesses a transaction acts for: the per-transaction setting {@code steadfast.businesses} that the row-level
 * security policies read. A transaction that sets none sees no business's rows and can write none.
 */
public final class BusinessScope {
    private static final String SET = "SELECT set_config('steadfast.businesses', :businesses, true)";

    private BusinessScope() {
    }

    /** Runs {@code callback} in a transaction that acts for one business. */
    public static <R, X extends Exception> R inBusiness(Jdbi jdbi, long businessId, HandleCallback<R, X> callback) throws X {
        return jdbi.inTransaction(tx -> {
            actFor(tx, java.util.List.of(businessId));
            return callback.withHandle(tx);
        });
    }

    /** From now until the transaction ends, {@code tx} acts for these businesses and no other. */
    public static void actFor(Handle tx, Collection<Long> businessIds) {
        String literal = businessIds.stream().distinct().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
        tx.createQuery(SET).bind("businesses", literal).mapTo(String.class).one();
    }

    /**
     * From now until the transaction ends, {@code tx} acts for every business: for the parts that serve them all by
     * design (the live feed's reader, which hands each client its own business's changes; retention).
     */
    public static void actForAll(Handle tx) {
        tx.createQuery("""
                SELECT set_config('steadfast.businesses', (SELECT coalesce(array_agg(id), '{}')::text FROM business), true)
                """).mapTo(String.class).one();
    }
}
