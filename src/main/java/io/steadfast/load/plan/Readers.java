package io.steadfast.load.plan;

import io.steadfast.db.Database;
import io.steadfast.error.SteadfastException;
import io.steadfast.load.SeedOptions;
import io.steadfast.load.Seeder;
import io.steadfast.tenant.Access;
import io.steadfast.tenant.ApiKeys;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Who reads, and what: a credential per business and each business's conversations. On our own node the data is
 * seeded first (COPY) and each business gets a key; against {@code --url} the operator reads what its business has.
 */
record Readers(List<String> authorizations, List<List<Long>> conversations) {

    static Readers prepare(Target target, SeedOptions seed, Report report, PrintStream out) {
        if (target.node().isEmpty()) {
            List<Long> ids = new ArrayList<>();
            target.operator().get("/v1/conversations?limit=500").path("items").forEach(c -> ids.add(c.path("id").asLong()));
            if (ids.isEmpty()) {
                throw new SteadfastException("nothing_to_read", 409, "the deployment at " + target.base()
                        + " has no conversations for its operator's business to read: send it webhooks first, or run"
                        + " steadfast seed against its database");
            }
            report.configure("data", String.format("the deployment's own: the %,d latest conversations of the operator's business",
                    ids.size()));
            return new Readers(List.of("Bearer " + target.operatorToken()), List.of(ids));
        }
        Seeder.Plan plan = seed.plan();
        Seeder.Result seeded;
        List<List<Long>> conversations = new ArrayList<>();
        try (Database owner = Database.connect(target.node().get().database().url(), 2, "steadfast-load-seed")) {
            seeded = new Seeder(owner, new Random(4)).seedShowingProgress(plan);
            for (long business : seeded.businessIds()) {
                conversations.add(owner.jdbi().withHandle(h -> h.createQuery("SELECT id FROM conversation "
                        + "WHERE business_id = :b ORDER BY id").bind("b", business).mapTo(Long.class).list()));
            }
        }
        out.printf("  seeded %,d businesses, %,d conversations, %,d messages in %.0f s%n", seeded.businessIds().size(),
                seeded.conversations(), seeded.messages(), seeded.took().toMillis() / 1000.0);
        report.configure("data", String.format("seeded: %,d businesses, %,d conversations, %,d messages over %d days",
                plan.businesses(), plan.conversations(), plan.messages(), plan.days()));
        ApiKeys keys = new ApiKeys(target.node().get().database().jdbi());
        return new Readers(seeded.businessIds().stream()
                .map(b -> "Bearer " + keys.create(b, "load-plan", Access.AGENT).key()).toList(), conversations);
    }

    /** A well-spread index in [0, size) for request {@code n}. */
    static int pick(long n, int size) {
        return (int) Math.floorMod(n * 0x9E3779B97F4A7C15L >>> 17, size);
    }

    int business(long n) {
        return pick(n, authorizations.size());
    }

    /** A conversation of business {@code b} for request {@code n}. */
    long conversation(int b, long n) {
        List<Long> own = conversations.get(b);
        return own.get(pick(n / authorizations.size() + 7, own.size()));
    }
}
