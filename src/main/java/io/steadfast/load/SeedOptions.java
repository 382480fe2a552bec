package io.steadfast.load;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How much {@code steadfast seed} and {@code load queries} put in: the same options for both. */
public final class SeedOptions {
    @Option(names = "--businesses", defaultValue = "50", description = "Businesses (default ${DEFAULT-VALUE}).")
    int businesses;

    @Option(names = "--conversations", defaultValue = "5000", description = "Conversations in all (default ${DEFAULT-VALUE}).")
    int conversations;

    @Option(names = "--messages", defaultValue = "1000000", description = "Messages in all (default ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--days", defaultValue = "60", description = "How far back messages go (default ${DEFAULT-VALUE}).")
    int days;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The plan, or bad usage (exit 2) naming what makes no seeding. */
    public Seeder.Plan plan() {
        atLeast("--businesses", businesses, 1, "");
        atLeast("--conversations", conversations, businesses, " (one per business)");
        atLeast("--messages", messages, 1, "");
        atLeast("--days", days, 1, "");
        return new Seeder.Plan(businesses, conversations, messages, days);
    }

    private void atLeast(String option, long value, long min, String why) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + why + ", got " + value);
        }
    }
}
