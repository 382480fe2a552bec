package io.steadfast;

import io.steadfast.chaos.suite.ChaosCommand;
import io.steadfast.commerce.LedgerCommand;
import io.steadfast.config.Build;
import io.steadfast.load.LoadCommand;
import io.steadfast.load.SeedCommand;
import io.steadfast.node.ServeCommand;
import io.steadfast.shopify.ReconcileCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code steadfast serve}, {@code steadfast chaos}, {@code steadfast load}. */
@Command(name = "steadfast",
        mixinStandardHelpOptions = true,
        versionProvider = Steadfast.Version.class,
        description = {
                "Steadfast receives provider webhooks, acknowledges each only after its events are committed to",
                "PostgreSQL, and applies every event exactly once, in the order the provider meant.",
                ""},
        subcommands = {ServeCommand.class, ChaosCommand.class, LoadCommand.class, ReconcileCommand.class,
                LedgerCommand.class, SeedCommand.class, CommandLine.HelpCommand.class})
public final class Steadfast implements Runnable {

    public static void main(String[] args) {
        int exit = new CommandLine(new Steadfast())
                .setUsageHelpWidth(120)
                .setExecutionExceptionHandler(Steadfast::reportFailure)
                .execute(args);
        System.exit(exit);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        cmd.getErr().println("steadfast: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (!(e instanceof io.steadfast.error.SteadfastException)) {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"steadfast " + Build.version(), "Java " + Runtime.version()};
        }
    }
}
