package io.steadfast.shopify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.steadfast.config.Config.ShopifyReconciliation;
import io.steadfast.inbox.Appender;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reconciles one shop on a timer, from where the last run ended. A failed run is logged and tried next time. */
public final class ReconcileJob implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconcileJob.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("shopify-reconcile").daemon().factory());

    /**
     * {@code steadfast_shopify_reconcile_gap_total} counts order versions that only reconciliation found (their webhooks
     * never came), {@code steadfast_shopify_reconcile_failures_total} runs that failed. Every serving node shows them,
     * at zero where no reconciliation runs, so alert rules always find their series.
     */
    public record Meters(Counter gap, Counter failures) {
        public static Meters register(MeterRegistry registry) {
            return new Meters(Counter.builder("steadfast.shopify.reconcile.gap")
                    .description("order versions found by reconciliation that no webhook had delivered").register(registry),
                    Counter.builder("steadfast.shopify.reconcile.failures").register(registry));
        }
    }

    public ReconcileJob(ShopifyReconciliation settings, Jdbi jdbi, Appender appender, Clock clock, Meters meters) {
        Counter gap = meters.gap();
        Counter failures = meters.failures();
        String shop = settings.shop().orElseThrow();
        Reconciler reconciler = new Reconciler(jdbi, appender,
                AdminApiClient.forShop(shop, settings.adminUrl(), settings.adminToken().orElseThrow()), clock);
        long minutes = settings.every().toMinutes();
        timer.scheduleWithFixedDelay(() -> {
            try {
                Reconciler.Result r = reconciler.run(shop, Optional.empty());
                gap.increment(r.newDeliveries());
                log.info("Reconciled {}: {} orders in {} pages, {} new deliveries, {} already known, {} rejected; next from {}",
                        shop, r.fetched(), r.pages(), r.newDeliveries(), r.alreadyKnown(), r.rejected().size(), r.cursor());
                r.rejected().forEach(line -> log.warn("Reconciliation of {} rejected {}", shop, line));
            } catch (RuntimeException e) {
                failures.increment();
                log.warn("Reconciliation of {} failed ({}); trying again in {} min", shop, e.getMessage(), minutes);
            }
        }, 0, minutes, TimeUnit.MINUTES);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
