package io.steadfast.load.plan;

import io.steadfast.load.LoadClient;
import io.steadfast.load.SeedOptions;
import io.steadfast.load.Seeder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Seed 004 test 4: the four read queries at seeded scale, through the API. */
@Command(name = "queries", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Seed 004's read queries at seeded scale, mixed in equal shares at --rate: a business's conversations",
                "(Q1), a conversation's messages (Q2), message search (two everyday words) and 30-day analytics, each",
                "for a business drawn at random with that business's key. Own Steadfast: seeded first (COPY, a",
                "million messages by default). With --url: the operator's business and what it has.",
                "Thresholds: Q1 p95 < 50 ms, Q2 < 100 ms, search < 500 ms, analytics < 1,000 ms, failed < 0.1%.",
                ""})
public final class Queries extends PlanScenario {
    @Mixin
    SeedOptions seed;

    @Override
    String name() {
        return "queries";
    }

    @Override
    String summary() {
        return "The read queries at seeded scale: conversations, a conversation's messages, search, analytics.";
    }

    @Override
    List<String> defaultThresholds() {
        return List.of("q1-conversations:p95<50", "q2-messages:p95<100", "search:p95<500", "analytics:p95<1000",
                "failed<0.1%");
    }

    @Override
    void measure(Report report) {
        double rate = options.rate(40);
        Duration duration = options.duration(Duration.ofSeconds(60));
        try (Target target = Target.of(options, out, Map.of())) {
            Readers readers = Readers.prepare(target, seed, report, out);
            report.configure("target", target.describe()).configure("duration", duration.toSeconds() + " s")
                    .configure("arrival rate", rate(rate) + ", a quarter each");
            drive(target, report, Profile.constant(rate, duration), rate, (n, second) -> {
                int b = readers.business(n / 4);
                String auth = readers.authorizations().get(b);
                return switch ((int) (n % 4)) {
                    case 0 -> new OpenLoad.Request("q1-conversations", new LoadClient.Call("/v1/conversations?limit=50",
                            null, "Authorization", auth));
                    case 1 -> new OpenLoad.Request("q2-messages", new LoadClient.Call("/v1/conversations/"
                            + readers.conversation(b, n) + "/messages?limit=100", null, "Authorization", auth));
                    case 2 -> new OpenLoad.Request("search", new LoadClient.Call("/v1/messages/search?q="
                            + Seeder.WORDS[Readers.pick(n, Seeder.WORDS.length)] + "+"
                            + Seeder.WORDS[Readers.pick(n * 7 + 3, Seeder.WORDS.length)] + "&limit=50", null,
                            "Authorization", auth));
                    default -> new OpenLoad.Request("analytics", new LoadClient.Call("/v1/analytics/messages?days=30",
                            null, "Authorization", auth));
                };
            }, List.of("q1-conversations", "q2-messages", "search", "analytics"), options.connections(16));
        }
    }
}
