package io.steadfast.commerce;

import io.steadfast.config.DatabaseOptions;
import io.steadfast.db.Storage;
import io.steadfast.terminal.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code steadfast ledger check}: every wallet's balance against its ledger, and its held money against its holds. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Checks the books of every wallet.",
        subcommands = {LedgerCommand.Check.class})
public final class LedgerCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                    "Reads every wallet of every business in one snapshot and checks that its balance is the sum of its",
                    "ledger entries and its held money the sum of its active holds. Prints the wallets that disagree.",
                    "Exit status: 0 when the books agree, 1 when a wallet disagrees. Uses the same database settings",
                    "as serve.",
                    ""})
    static final class Check implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            try (Storage storage = Storage.open(database.load(), "steadfast-ledger")) {
                long wallets = LedgerCheck.wallets(storage.database().jdbi());
                List<LedgerCheck.Mismatch> wrong = LedgerCheck.run(storage.database().jdbi());
                if (wrong.isEmpty()) {
                    System.out.printf("%,d wallets checked: every balance is the sum of its ledger, every held amount "
                            + "the sum of its active holds.%n", wallets);
                    return 0;
                }
                Table table = new Table(2, "business", "wallet", "balance", "ledger sum", "held", "active holds");
                wrong.forEach(m -> table.row(m.businessId(), m.walletId(), Money.format(m.balance(), m.currency()),
                        Money.format(m.ledger(), m.currency()), Money.format(m.held(), m.currency()),
                        Money.format(m.activeHolds(), m.currency())));
                System.out.print(table.render());
                System.out.printf("%,d of %,d wallets disagree with their books.%n", wrong.size(), wallets);
                return 1;
            }
        }
    }
}
