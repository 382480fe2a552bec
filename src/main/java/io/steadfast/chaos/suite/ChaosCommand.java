package io.steadfast.chaos.suite;

import io.steadfast.simulator.RemoteOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steadfast chaos}: the chaos suite as one command, with a verdict. */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Runs the chaos suite against Steadfast and prints a verdict you can launch on.",
                "",
                "Every scenario drives provider-like traffic (signed, retried, duplicated, batched, shuffled)",
                "while it injects a fault, records every request, then",
                "checks the deployment through its API: acknowledged events stored and applied exactly once,",
                "uncertain ones at most once, provider order kept, statuses at their furthest, nothing left behind.",
                "",
                "Without --url it starts what it needs: embedded PostgreSQL in a temporary directory, one ingest",
                "and two worker processes (real JVMs that it kills and freezes), and deletes them afterwards.",
                "With --url it runs against a running deployment; scenarios that need process control are skipped",
                "with the reason, never counted as passed.",
                "",
                "Exit status: 0 when every scenario that ran passed, 1 when one failed (do not launch), 2 on bad usage.",
                ""})
public final class ChaosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The program the cluster's processes run: the command line this command was started from. */
    String programMainClass() {
        return spec.root().userObject().getClass().getName();
    }

    @Mixin
    RemoteOptions.Url url;

    @Mixin
    RemoteOptions.AppSecret appSecret;

    @Mixin
    RemoteOptions.ShopifySecret shopifySecret;

    @Mixin
    RemoteOptions.ApiToken apiToken;

    @Option(names = "--scenario", paramLabel = "NAME", description = "Run only this scenario (repeatable; see --list).")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--scale", defaultValue = "1", paramLabel = "FACTOR",
            description = "Multiplies every scenario's event counts (default ${DEFAULT-VALUE}: a few minutes on 2 cores).")
    double scale;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice; a failed run prints its seed so it can be replayed (default: random).")
    Long seed;

    @Option(names = "--report", paramLabel = "DIR", description = "Where to write report.md, report.json, report.html and the histories (default: ./chaos-reports/<time>).")
    Path report;

    @Option(names = "--drain-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "How long events may take to settle after a scenario before they count as left behind (default ${DEFAULT-VALUE}).")
    int drainTimeoutSeconds;

    @Option(names = "--list", description = "List the scenarios with the invariant each proves, and exit.")
    boolean list;

    @Override
    public Integer call() throws Exception {
        try {
            return new ChaosSuite(this, System.out).run();
        } catch (ChaosSuite.ChaosUsageException e) {
            System.err.println("steadfast chaos: " + e.getMessage());
            return 2;
        }
    }
}
