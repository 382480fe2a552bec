package io.steadfast.load.plan;

import io.steadfast.db.Database;
import io.steadfast.error.SteadfastException;
import io.steadfast.simulator.Api;
import io.steadfast.simulator.RemoteOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Signed inbound webhooks at a constant arrival rate, and proof that every acknowledged one became a message. */
@Command(name = "webhooks", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Signed WhatsApp webhooks (one customer message each, every one distinct) at a constant --rate for",
                "--duration, acknowledgement latency from when each was due. Then waits until the workers applied",
                "them and checks that every acknowledged webhook became a stored message: all of them on our own",
                "Steadfast, a sample of one in a hundred through GET /v1/messages?external_id= with --url (which needs",
                "--app-secret to sign).",
                "Thresholds: p95 < 500 ms, failed < 0.1%.",
                ""})
public final class Webhooks extends PlanScenario {
    @Mixin
    RemoteOptions.AppSecret appSecret;

    @Option(names = "--customers", defaultValue = "10000", description = "Distinct customers the messages come from (default ${DEFAULT-VALUE}).")
    int customers;

    @Override
    String name() {
        return "webhooks";
    }

    @Override
    String summary() {
        return "Signed inbound WhatsApp webhooks at a constant arrival rate; every acknowledged one must become a message.";
    }

    @Override
    List<String> defaultThresholds() {
        return List.of("p95<500", "failed<0.1%");
    }

    @Override
    void measure(Report report) {
        double rate = options.rate(1000);
        Duration duration = options.duration(Duration.ofSeconds(60));
        try (Target target = Target.of(options, out, Map.of())) {
            SignedWebhooks webhooks = new SignedWebhooks(secret(target, appSecret), customers);
            String run = webhooks.run;
            Queue<Long> sampled = new ConcurrentLinkedQueue<>();
            report.configure("target", target.describe()).configure("duration", duration.toSeconds() + " s")
                    .configure("arrival rate", rate(rate)).configure("customers", customers);
            OpenLoad.Result result = drive(target, report, Profile.constant(rate, duration), rate,
                    (n, second) -> new OpenLoad.Request("webhooks", webhooks.webhook(n), r -> {
                        String failure = OpenLoad.SUCCESS.failure(r);
                        if (failure == null && n % 100 == 0 && n < WARMUP_OFFSET) {
                            sampled.add(n);
                        }
                        return failure;
                    }), List.of("webhooks"), options.connections(64));
            long acknowledged = result.stats().getFirst().ok();
            long waitStart = System.nanoTime();
            if (target.node().isPresent()) {
                long stored = awaitStored(target, run, acknowledged);
                report.check("every acknowledged webhook became a message", stored == acknowledged,
                        String.format("%,d acknowledged, %,d stored", acknowledged, stored));
            } else {
                long found = awaitSampled(target.operator(), run, sampled);
                report.check("acknowledged webhooks became messages (a sample of 1 in 100)", found == sampled.size(),
                        String.format("%,d of %,d sampled found", found, sampled.size()));
            }
            report.note(String.format("Applied %.1f s after the last webhook was due.", (System.nanoTime() - waitStart) / 1e9));
        }
    }

    /** Our own node's WhatsApp app secret, or the one given for --url. */
    static String secret(Target target, RemoteOptions.AppSecret appSecret) {
        if (target.node().isPresent()) {
            return target.node().get().config().whatsappAppSecret();
        }
        if (appSecret.value == null || appSecret.value.isBlank()) {
            throw new SteadfastException("app_secret_required", 400, "--url needs the deployment's WhatsApp app secret to"
                    + " sign webhooks: pass --app-secret or set STEADFAST_WHATSAPP_APP_SECRET");
        }
        return appSecret.value;
    }

    /** Waits (at most 2 minutes) until the run's messages stop growing at {@code expected}; returns how many there are. */
    private static long awaitStored(Target target, String run, long expected) {
        try (Database owner = Database.connect(target.node().get().database().url(), 1, "steadfast-load-webhooks")) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long stored;
            do {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                stored = owner.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM message WHERE external_id LIKE :p")
                        .bind("p", "wamid." + run + ".%").mapTo(Long.class).one());
            } while (stored < expected && System.nanoTime() < deadline);
            return stored;
        }
    }

    private static long awaitSampled(Api operator, String run, Queue<Long> sampled) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long found = 0;
        for (long n : sampled) {
            while (operator.get("/v1/messages?external_id=" + Api.encode("wamid." + run + "." + n)).path("items").isEmpty()) {
                if (System.nanoTime() > deadline) {
                    return found;
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            found++;
        }
        return found;
    }
}
