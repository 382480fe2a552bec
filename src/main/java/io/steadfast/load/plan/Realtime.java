package io.steadfast.load.plan;

import io.steadfast.db.Database;
import io.steadfast.error.SteadfastException;
import io.steadfast.simulator.RemoteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Seed 004 test 3: a thousand live WebSocket clients, each change's delivery latency to each of them, drops counted. */
@Command(name = "realtime", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Seed 004's realtime test: --clients live clients on GET /v1/sync (WebSocket) of one business, while",
                "signed webhooks arrive at --rate, each a new message: a change every client must receive. Each",
                "delivery's latency runs from the writing transaction's changed_at (its start: an upper bound on",
                "commit-to-delivery) to when the client read it; with --url the two clocks must agree. Then checks that",
                "every client received every change of the run and that no connection was closed by the server.",
                "With --url: clients use the operator's token; the webhooks need --app-secret and a WhatsApp number",
                "that belongs to the operator's business (auto-registered on a fresh deployment).",
                "Thresholds: delivery p99 < 100 ms, failed < 0.1%.",
                ""})
public final class Realtime extends PlanScenario {
    @Mixin
    RemoteOptions.AppSecret appSecret;

    @Option(names = "--clients", defaultValue = "1000", description = "Live WebSocket clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Override
    String name() {
        return "realtime";
    }

    @Override
    String summary() {
        return "Live WebSocket clients of one business receive every new message as it commits.";
    }

    @Override
    List<String> defaultThresholds() {
        return List.of("delivery:p99<100", "failed<0.1%");
    }

    @Override
    void measure(Report report) throws Exception {
        double rate = options.rate(5);
        Duration duration = options.duration(Duration.ofSeconds(60));
        try (Target target = Target.of(options, out, Map.of())) {
            String secret = Webhooks.secret(target, appSecret);
            SignedWebhooks webhooks = new SignedWebhooks(secret, 1000);
            OpenLoad.Traffic traffic = (n, second) -> new OpenLoad.Request("webhooks",
                    webhooks.webhook(n));
            AtomicLong origin = new AtomicLong(target.node().isPresent() ? lastSeq(target) : Subscriber.UNSET);
            long connecting = System.nanoTime();
            Series warmDelivery = new Series("warm-up");
            List<Subscriber> subscribers = connect(target, warmDelivery, origin, origin.get());
            double connectSeconds = (System.nanoTime() - connecting) / 1e9;
            // with the clients connected: their code paths are what must be compiled
            warmUp(new OpenLoad(target.base(), 8), report, rate, traffic, List.of("webhooks"));
            awaitQuiet(target);
            awaitDelivered(warmDelivery); // a warm-up's backlog of deliveries must not spill into the measured run
            long startSeq = lastSeq(target);
            Series delivery = new Series("delivery");
            subscribers.forEach(s -> s.measure(delivery, startSeq));
            report.configure("target", target.describe()).configure("duration", duration.toSeconds() + " s")
                    .configure("clients", clients).configure("changes", rate(rate) + " new messages (signed webhooks)")
                    .configure("deliveries due", rate(rate * clients));
            drive(target, report, Profile.constant(rate, duration), 0, traffic, List.of("webhooks"), options.connections(8),
                    delivery);
            awaitQuiet(target);
            long endSeq = lastSeq(target);
            awaitDelivered(delivery);
            delivery.tick(duration.toSeconds() + 2);
            judge(report, subscribers, origin.get(), startSeq, endSeq, target, connectSeconds);
            subscribers.forEach(Subscriber::close);
        }
    }

    private List<Subscriber> connect(Target target, Series delivery, AtomicLong origin, long startSeq) {
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Subscriber s = new Subscriber(delivery, origin, startSeq);
            try {
                s.open(target.base(), "Bearer " + target.operatorToken());
            } catch (java.io.IOException e) {
                subscribers.forEach(Subscriber::close);
                throw new SteadfastException("subscriptions_failed", 503, "WebSocket client " + (i + 1) + " of " + clients
                        + " could not connect to " + target.base() + "v1/sync: " + e.getMessage());
            }
            subscribers.add(s);
        }
        return subscribers;
    }

    private void judge(Report report, List<Subscriber> subscribers, long origin, long startSeq, long endSeq, Target target,
                       double connectSeconds) {
        BitSet expected = new BitSet();
        if (target.node().isPresent()) {
            try (Database owner = Database.connect(target.node().get().database().url(), 1, "steadfast-load-realtime")) {
                owner.jdbi().useHandle(h -> h.createQuery("SELECT seq FROM change_log WHERE seq > :s AND seq <= :e")
                        .bind("s", startSeq).bind("e", endSeq).mapTo(Long.class)
                        .forEach(seq -> expected.set((int) (seq - origin))));
            }
        } else {
            subscribers.forEach(s -> expected.or(s.received()));
        }
        long missing = 0;
        int clientsMissing = 0;
        for (Subscriber s : subscribers) {
            BitSet lacking = (BitSet) expected.clone();
            lacking.andNot(s.received());
            missing += lacking.cardinality();
            clientsMissing += lacking.isEmpty() ? 0 : 1;
        }
        List<String> closed = subscribers.stream().map(Subscriber::closedBecause).filter(c -> c != null).toList();
        report.check("all subscriptions opened", true, String.format("%,d clients connected in %.1f s", clients,
                        connectSeconds))
                .check("no drops: every client received every change", missing == 0, String.format(
                        "%,d changes x %,d clients; %,d deliveries missing, at %,d clients", expected.cardinality(),
                        clients, missing, clientsMissing))
                .check("no connection closed by the server", closed.isEmpty(), closed.isEmpty() ? "none"
                        : closed.size() + ", first: " + closed.getFirst());
    }

    /** The highest change seq now on our own node; 0 for --url, whose clients count from the first change they get. */
    private static long lastSeq(Target target) {
        if (target.node().isPresent()) {
            try (Database owner = Database.connect(target.node().get().database().url(), 1, "steadfast-load-realtime")) {
                return owner.jdbi().withHandle(h -> h.createQuery("SELECT coalesce(max(seq), 0) FROM change_log")
                        .mapTo(Long.class).one());
            }
        }
        return 0;
    }

    /** Waits (at most a minute) until no client has received anything for a second. */
    private static void awaitDelivered(Series delivery) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        long seen = -1;
        while (System.nanoTime() < deadline && delivery.okCount() != seen) {
            seen = delivery.okCount();
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        }
    }

    /** Waits (at most a minute) until the inbox is empty, so the run's changes are all written. */
    private static void awaitQuiet(Target target) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            var health = target.operator().get("/health/detailed").path("components").path("inbox");
            if (health.path("pending").asLong() == 0 && health.path("processing").asLong() == 0) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }
}
