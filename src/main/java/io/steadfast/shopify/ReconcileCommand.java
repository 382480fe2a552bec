package io.steadfast.shopify;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.config.Config;
import io.steadfast.config.DatabaseOptions;
import io.steadfast.db.Storage;
import io.steadfast.inbox.Appender;
import io.steadfast.terminal.Table;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code steadfast reconcile shopify}: fetch what webhooks may have lost from the Admin API. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Feeds in what a provider has and Steadfast does not (webhooks it never received).",
        subcommands = {ReconcileCommand.ShopifyOrders.class})
public final class ReconcileCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "shopify", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                    "Recovers Shopify orders whose webhooks were lost, from the Admin API.",
                    "",
                    "Pages the Shopify Admin API's orders by updated_at, from the shop's last cursor (or --since), and",
                    "puts every order into the inbox as a delivery of its own: deduplicated per order version, applied",
                    "last-writer-wins and audited like a webhook (topic 'reconcile'). Workers of a running",
                    "'steadfast serve' on the same database apply them. Uses the same database settings as serve.",
                    ""})
    static final class ShopifyOrders implements Callable<Integer> {
        @Option(names = "--shop", required = true, paramLabel = "DOMAIN", description = "The shop, as <name>.myshopify.com.")
        String shop;

        @Option(names = "--admin-url", paramLabel = "URL", defaultValue = "${env:STEADFAST_SHOPIFY_ADMIN_URL}",
                description = "Admin API base (default https://<shop>). [STEADFAST_SHOPIFY_ADMIN_URL]")
        String adminUrl;

        @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:STEADFAST_SHOPIFY_ADMIN_TOKEN}",
                description = "Admin API access token with read_orders. [STEADFAST_SHOPIFY_ADMIN_TOKEN]")
        String adminToken;

        @Option(names = "--since", paramLabel = "TIME", description = "ISO-8601 time to start from (default: where the last run ended, or 30 days ago).")
        String since;

        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            if (adminToken == null || adminToken.isBlank()) {
                System.err.println("steadfast reconcile: give --admin-token (or STEADFAST_SHOPIFY_ADMIN_TOKEN): an Admin "
                        + "API access token with the read_orders scope");
                return 2;
            }
            Optional<Instant> from;
            try {
                from = Optional.ofNullable(since).map(Instant::parse);
            } catch (DateTimeParseException e) {
                System.err.println("steadfast reconcile: --since must be an ISO-8601 time like 2026-01-31T00:00:00Z, got " + since);
                return 2;
            }
            Config config = database.load();
            try (Storage storage = Storage.open(config, "steadfast-reconcile");
                 Appender appender = new Appender(storage.database().jdbi(), config.ackTimeout(),
                         new SimpleMeterRegistry(), () -> { })) {
                Reconciler.Result r = new Reconciler(storage.database().jdbi(), appender,
                        AdminApiClient.forShop(shop, Optional.ofNullable(adminUrl), adminToken), Clock.systemUTC())
                        .run(shop, from);
                System.out.print(new Table(1, "shop", "since", "pages", "orders", "new deliveries", "already known",
                        "rejected", "next cursor")
                        .row(r.shop(), r.since(), r.pages(), r.fetched(), r.newDeliveries(), r.alreadyKnown(),
                                r.rejected().size(), r.cursor()).render());
                r.rejected().forEach(line -> System.out.println("  rejected " + line));
                return r.rejected().isEmpty() ? 0 : 1;
            }
        }
    }
}
