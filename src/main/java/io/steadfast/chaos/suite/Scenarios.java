package io.steadfast.chaos.suite;

import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.scenario.AdminSafety;
import io.steadfast.chaos.scenario.CheckoutConnectionKill;
import io.steadfast.chaos.scenario.CheckoutKill9;
import io.steadfast.chaos.scenario.LastItems;
import io.steadfast.chaos.scenario.MultiProduct;
import io.steadfast.chaos.scenario.OrderRollback;
import io.steadfast.chaos.scenario.ServicesDown;
import io.steadfast.chaos.scenario.CheckerSelfTest;
import io.steadfast.chaos.scenario.Concurrent1000;
import io.steadfast.chaos.scenario.ConcurrentSends;
import io.steadfast.chaos.scenario.ConcurrentWorkers;
import io.steadfast.chaos.scenario.DbConnectionKill;
import io.steadfast.chaos.scenario.DbPause;
import io.steadfast.chaos.scenario.DbRestart;
import io.steadfast.chaos.scenario.DuplicateWebhook;
import io.steadfast.chaos.scenario.IdempotentSendRetry;
import io.steadfast.chaos.scenario.DashboardView;
import io.steadfast.chaos.scenario.LiveFeed;
import io.steadfast.chaos.scenario.LossDetection;
import io.steadfast.chaos.scenario.OrderConflicts;
import io.steadfast.chaos.scenario.OrderReconcile;
import io.steadfast.chaos.scenario.OrderRedelivery;
import io.steadfast.chaos.scenario.OrderWorkerKill;
import io.steadfast.chaos.scenario.OutOfOrder;
import io.steadfast.chaos.scenario.PartialFailure;
import io.steadfast.chaos.scenario.PartialFailureSends;
import io.steadfast.chaos.scenario.ProviderOutage;
import io.steadfast.chaos.scenario.ProviderTimeout;
import io.steadfast.chaos.scenario.RateLimitAcrossNodes;
import io.steadfast.chaos.scenario.SendDbConnectionKill;
import io.steadfast.chaos.scenario.SenderKill9;
import io.steadfast.chaos.scenario.TenantIsolation;
import io.steadfast.chaos.scenario.WalletMixed;
import io.steadfast.chaos.scenario.WalletOverdraft;
import io.steadfast.chaos.scenario.WalletRetry;
import io.steadfast.chaos.scenario.WebhookRetry;
import io.steadfast.chaos.scenario.WorkerKill9;
import io.steadfast.chaos.scenario.WorkerPausePastLease;
import java.util.List;

/** Every scenario, in the order a run takes them. A new domain adds its scenarios here. */
public final class Scenarios {
    private Scenarios() {
    }

    public static List<Scenario> all() {
        return List.of(
                new CheckerSelfTest(),
                new WebhookRetry(),
                new DuplicateWebhook(),
                new Concurrent1000(),
                new OutOfOrder(),
                new DbConnectionKill(),
                new DbRestart(),
                new DbPause(),
                new WorkerKill9(),
                new WorkerPausePastLease(),
                new ConcurrentWorkers(),
                new PartialFailure(),
                new LossDetection(),
                new OrderConflicts(),
                new OrderRedelivery(),
                new OrderReconcile(),
                new OrderWorkerKill(),
                new LiveFeed(),
                new DashboardView(),
                new TenantIsolation(),
                new RateLimitAcrossNodes(),
                new ConcurrentSends(),
                new IdempotentSendRetry(),
                new SenderKill9(),
                new PartialFailureSends(),
                new ProviderTimeout(),
                new ProviderOutage(),
                new SendDbConnectionKill(),
                new WalletOverdraft(),
                new WalletRetry(),
                new WalletMixed(),
                new LastItems(),
                new MultiProduct(),
                new OrderRollback(),
                new ServicesDown(),
                new AdminSafety(),
                new CheckoutConnectionKill(),
                new CheckoutKill9());
    }
}
