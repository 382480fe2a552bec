package io.steadfast.load;

import io.steadfast.simulator.RemoteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code steadfast load}: benchmarks that print a table. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Benchmarks. Each prints a results table; see docs/BENCHMARKS.md for recorded runs.",
        subcommands = {LoadCommand.Ingest.class, LoadCommand.Wrk.class, LoadCommand.Orders.class, LoadCommand.Prune.class,
                LoadCommand.ApiCost.class, LoadCommand.Commerce.class,
                io.steadfast.load.plan.Dashboard.class, io.steadfast.load.plan.Sends.class,
                io.steadfast.load.plan.Webhooks.class, io.steadfast.load.plan.Realtime.class,
                io.steadfast.load.plan.Queries.class, io.steadfast.load.plan.RateLimits.class,
                io.steadfast.load.plan.ColdStart.class, io.steadfast.load.plan.Spike.class, io.steadfast.load.plan.Soak.class})
public final class LoadCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                    "Drives signed WhatsApp webhooks at Steadfast over loopback and reports acknowledged webhooks/s,",
                    "ack latency (p50/p99/max), end-to-end events processed/s, and latency at a fixed arrival rate.",
                    "The same client also drives a trivial endpoint of the same server, so the result reads as a",
                    "ratio to this machine's HTTP ceiling. It warms up until the JIT compilers are done (15-90 s).",
                    "",
                    "Without --url it starts its own Steadfast (embedded PostgreSQL in a temporary directory,",
                    "deleted afterwards). With --url it targets a running deployment: give its app secret; every",
                    "webhook it sends is a real, distinct message stored there.",
                    ""})
    static final class Ingest implements Runnable {
        @Mixin
        RemoteOptions.Url url;

        @Mixin
        RemoteOptions.AppSecret appSecret;

        @Option(names = "--connections", defaultValue = "256", description = {"Concurrent connections (default ${DEFAULT-VALUE}).",
                "More connections make larger group commits: 256 acknowledged 11-21%% more per second than 64."})
        int connections;

        @Option(names = "--seconds", defaultValue = "10", description = "Length of each measured phase (default ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--rate", defaultValue = "5000", description = "Arrival rate of the fixed-rate phase, webhooks/s (default ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--customers", defaultValue = "10000", description = "Distinct customers the messages come from (default ${DEFAULT-VALUE}).")
        int customers;

        @Option(names = "--runs", defaultValue = "1", description = {"Times the measured phases run after one warm-up "
                + "(default ${DEFAULT-VALUE}); with more than one, each run's ratios are listed and the targets judged on "
                + "their medians (seed 004's plan: 5)."})
        int runs;

        @Option(names = "--backlog", defaultValue = "200000", description = {"Own server only: webhooks taken with the workers",
                "paused, then drained, then acknowledged/s and applied/s measured again against the run's",
                "earlier figures; then the same with the node and its PostgreSQL restarted onto the backlog.",
                "0 skips both (default ${DEFAULT-VALUE})."})
        int backlog;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            atLeast(spec, "--backlog", backlog, 0);
            atLeast(spec, "--connections", connections, 1);
            atLeast(spec, "--seconds", seconds, 1);
            atLeast(spec, "--rate", rate, 1);
            atLeast(spec, "--runs", runs, 1);
            atLeast(spec, "--customers", customers, 1);
            new IngestBenchmark(this).run();
        }
    }

    @Command(name = "wrk", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                    "Writes distinct signed WhatsApp webhooks (one text message each, as `load ingest` sends) and a Lua",
                    "script, and prints the wrk command that sends each of them once to a running Steadfast, from wrk's",
                    "own process. Signed with --app-secret, which must be the deployment's.",
                    ""})
    static final class Wrk implements Runnable {
        @Mixin
        RemoteOptions.AppSecret appSecret;

        @Option(names = "--count", defaultValue = "300000", description = "Webhooks to write (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--customers", defaultValue = "10000", description = "Distinct customers the messages come from (default ${DEFAULT-VALUE}).")
        int customers;

        @Option(names = "--out", defaultValue = "wrk-ingest", description = "Directory to write into (default ${DEFAULT-VALUE}).")
        java.nio.file.Path out;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            atLeast(spec, "--count", count, 1);
            atLeast(spec, "--customers", customers, 1);
            if (appSecret.value == null || appSecret.value.isBlank()) {
                throw new ParameterException(spec.commandLine(),
                        "--app-secret is required: the deployment's WhatsApp app secret (or set STEADFAST_WHATSAPP_APP_SECRET)");
            }
            new WrkFiles(appSecret.value, count, customers, out).write();
        }
    }

    @Command(name = "orders", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                    "Sends N conflicting updates of one Shopify order (shuffled updated_at) all at once and times how long",
                    "until every one is acknowledged, and until every one is applied or discarded (audited). Repeats on",
                    "fresh orders after 3 warm-up runs. Without --url it starts its own Steadfast, and also times N",
                    "requests to a trivial endpoint as this machine's floor.",
                    "Then streams conflicting updates of --orders orders from --connections connections for --seconds,",
                    "and reports acknowledged/s and applied-or-discarded/s end to end, checking one audit row per update.",
                    ""})
    static final class Orders implements java.util.concurrent.Callable<Integer> {
        @Mixin
        RemoteOptions.Url url;

        @Mixin
        RemoteOptions.ShopifySecret shopifySecret;

        @Mixin
        RemoteOptions.ApiToken apiToken;

        @Option(names = "--updates", defaultValue = "100", description = "Conflicting updates per order (default ${DEFAULT-VALUE}).")
        int updates;

        @Option(names = "--runs", defaultValue = "20", description = "Measured runs, each on a new order (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--seconds", defaultValue = "10", description = "Length of the stream; 0 skips it (default ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--orders", defaultValue = "100", description = "Orders the stream's updates are spread over (default ${DEFAULT-VALUE}).")
        int orders;

        @Option(names = "--connections", defaultValue = "64", description = "Connections of the stream (default ${DEFAULT-VALUE}).")
        int connections;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            atLeast(spec, "--updates", updates, 1);
            atLeast(spec, "--runs", runs, 1);
            atLeast(spec, "--seconds", seconds, 0);
            atLeast(spec, "--orders", orders, 1);
            atLeast(spec, "--connections", connections, 1);
            new OrdersBenchmark(this).run();
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                    "Seeds --rows done events received 40 days ago (with their raw requests), then sends webhooks at",
                    "--rate in alternating phases: quiet, then while retention prunes that backlog in batches of 1,000.",
                    "Prints the ack p99 of each pair and their ratio, and the rows pruned per second. Starts its own",
                    "Steadfast (embedded PostgreSQL in a temporary directory, deleted afterwards).",
                    ""})
    static final class Prune implements Runnable {
        @Option(names = "--rows", defaultValue = "1000000", description = "Old done events to seed (default ${DEFAULT-VALUE}).")
        int rows;

        @Option(names = "--rate", defaultValue = "2000", description = "Webhooks/s in every phase (default ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--seconds", defaultValue = "10", description = "Length of each phase (default ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--pairs", defaultValue = "4", description = "Quiet and pruning phases, alternating (default ${DEFAULT-VALUE}).")
        int pairs;

        @Option(names = "--connections", defaultValue = "64", description = "Connections (default ${DEFAULT-VALUE}).")
        int connections;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            atLeast(spec, "--rows", rows, 1);
            atLeast(spec, "--rate", rate, 1);
            atLeast(spec, "--seconds", seconds, 1);
            atLeast(spec, "--pairs", pairs, 1);
            atLeast(spec, "--connections", connections, 1);
            new PruneBenchmark(this).run();
        }
    }

    @Command(name = "api", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                    "Prices each layer of an API request: one order read by id, bare (no credential, no row-level",
                    "security, no rate limit), then with RLS, with an API key or a user's access token, with the rate",
                    "limiter, and as GET /v1/orders/{id} itself. Rounds alternate the kinds, each compared with its",
                    "round's bare phase. Starts its own Steadfast (embedded PostgreSQL in a temporary directory).",
                    ""})
    static final class ApiCost implements Runnable {
        @Mixin
        Rounds rounds;

        @Override
        public void run() {
            new ApiBenchmark(rounds.checked()).run();
        }
    }

    @Command(name = "commerce", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                    "Wallet debits and store orders as fast as they go: on one hot wallet and one hot product (every",
                    "request waits for the same row) and spread over 200 of each. Prints req/s, p50 and p99, and the",
                    "hot figure over its spread twin of the same round. Starts its own Steadfast (embedded PostgreSQL",
                    "in a temporary directory).",
                    ""})
    static final class Commerce implements Runnable {
        @Mixin
        Rounds rounds;

        @Override
        public void run() {
            new CommerceBenchmark(rounds.checked()).run();
        }
    }

    /** The options of a benchmark that alternates its kinds of request in rounds of closed-loop phases. */
    static final class Rounds {
        @Option(names = "--rounds", defaultValue = "3", description = "Rounds over every kind of request (default ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--seconds", defaultValue = "5", description = "Length of each phase (default ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--connections", defaultValue = "16", description = "Connections (default ${DEFAULT-VALUE}).")
        int connections;

        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        Rounds checked() {
            atLeast(spec, "--rounds", rounds, 1);
            atLeast(spec, "--seconds", seconds, 1);
            atLeast(spec, "--connections", connections, 1);
            return this;
        }
    }

    /** Refuses a number below {@code min} as bad usage (exit 2, with the usage), before anything starts. */
    private static void atLeast(CommandSpec spec, String option, int value, int min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + ", got " + value);
        }
    }
}
