package io.steadfast.load;

import io.steadfast.config.DatabaseOptions;
import io.steadfast.db.Database;
import io.steadfast.db.Storage;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code steadfast seed}: fills a deployment with businesses, conversations and messages, for load tests. */
@Command(name = "seed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Fills a deployment with businesses (each with a WhatsApp number), customers, conversations and",
                "messages, fast (COPY): customers' and ours, over the last days, with everyday text and statuses.",
                "Adds to what is there (businesses are named seed-<run>-<n>). Uses the same database settings as",
                "serve; the embedded database of --data-dir when no URL is set.",
                ""})
public final class SeedCommand implements Callable<Integer> {
    @Mixin
    SeedOptions how;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random choices (default: random).")
    Long seed;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        Seeder.Plan plan = how.plan();
        try (Storage storage = Storage.open(database.load(), "steadfast-seed");
             Database owner = Database.connect(storage.database().url(), 2, "steadfast-seed")) {
            Seeder.Result r = new Seeder(owner, seed == null ? new Random() : new Random(seed)).seedShowingProgress(plan);
            System.out.printf("%,d businesses (ids %d-%d), %,d conversations, %,d messages in %.1f s (%,.0f messages/s)%n",
                    r.businessIds().size(), r.businessIds().getFirst(), r.businessIds().getLast(), r.conversations(),
                    r.messages(), r.took().toMillis() / 1000.0, r.messages() / Math.max(0.001, r.took().toMillis() / 1000.0));
            return 0;
        }
    }
}
