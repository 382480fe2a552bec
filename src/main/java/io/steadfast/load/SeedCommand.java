package io.steadfast.load;

import io.steadfast.config.DatabaseOptions;
import io.steadfast.db.Database;
import io.steadfast.db.Storage;
import io.steadfast.terminal.Progress;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code steadfast seed}: fills a deployment with businesses, conversations and messages, for load tests. */
@Command(name = "seed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Fills a deployment with businesses (each with a WhatsApp number), customers, conversations and",
                "messages, fast (COPY): customers' and ours, over the last days, with everyday text and statuses.",
                "Adds to what is there (businesses are named seed-<run>-<n>). Uses the same database settings as",
                "serve; the embedded database of --data-dir when no URL is set.",
                ""})
public final class SeedCommand implements Callable<Integer> {
    @Option(names = "--businesses", defaultValue = "50", description = "Businesses (default ${DEFAULT-VALUE}).")
    int businesses;

    @Option(names = "--conversations", defaultValue = "5000", description = "Conversations in all (default ${DEFAULT-VALUE}).")
    int conversations;

    @Option(names = "--messages", defaultValue = "1000000", description = "Messages in all (default ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--days", defaultValue = "60", description = "How far back messages go (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random choices (default: random).")
    Long seed;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (businesses < 1 || conversations < businesses || messages < 0 || days < 1) {
            throw new ParameterException(spec.commandLine(), "need at least 1 business, a conversation per business, "
                    + "0 or more messages and 1 day or more; got " + businesses + " businesses, " + conversations
                    + " conversations, " + messages + " messages, " + days + " days");
        }
        try (Storage storage = Storage.open(database.load(), "steadfast-seed");
             Database owner = Database.connect(storage.database().url(), 2, "steadfast-seed")) {
            Seeder seeder = new Seeder(owner, seed == null ? new Random() : new Random(seed));
            CompletableFuture<Seeder.Result> seeding = CompletableFuture.supplyAsync(() -> seeder.seed(
                    new Seeder.Plan(businesses, conversations, messages, days)));
            new Progress(System.err, "seeding messages", "messages").whileRunning(seeding::isDone, seeder::messagesDone,
                    messages);
            Seeder.Result r = seeding.join();
            System.out.printf("%,d businesses (ids %d-%d), %,d conversations, %,d messages in %.1f s (%,.0f messages/s)%n",
                    r.businessIds().size(), r.businessIds().getFirst(), r.businessIds().getLast(), r.conversations(),
                    r.messages(), r.took().toMillis() / 1000.0, r.messages() / Math.max(0.001, r.took().toMillis() / 1000.0));
            return 0;
        }
    }
}
