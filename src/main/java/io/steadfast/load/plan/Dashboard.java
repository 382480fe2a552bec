package io.steadfast.load.plan;

import io.steadfast.load.LoadClient;
import io.steadfast.load.SeedOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Seed 004 test 1: agents' dashboards, 100 then 500 users loading conversations and then a conversation's messages. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Seed 004's dashboard test: users ramp to 100, hold, ramp to 500, hold, ramp down (the seed's 2/5/2/5/2",
                "minute shape, scaled to --duration). Each user loads its business's conversations, thinks, opens one",
                "conversation's messages, thinks, and again; as the open model: requests arrive at users / think-time",
                "per second whatever the answers take, and latency counts from when each was due.",
                "Own Steadfast: seeded first (COPY), each business read with its own key. With --url: the operator's",
                "business and the conversations it has.",
                "Thresholds: conversations p95 < 1,500 ms, messages p95 < 1,000 ms, failed < 1%.",
                ""})
public final class Dashboard extends PlanScenario {
    @Option(names = "--users", defaultValue = "500", description = "Users at the peak (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--think", converter = PlanOptions.DurationConverter.class, defaultValue = "1s",
            description = "Think time between a user's requests (default ${DEFAULT-VALUE}).")
    Duration think;

    @Mixin
    SeedOptions seed;

    @Override
    String name() {
        return "dashboard";
    }

    @Override
    String summary() {
        return "Agents' dashboards: users load their conversations, then a conversation's messages, with think time.";
    }

    @Override
    List<String> defaultThresholds() {
        return List.of("conversations:p95<1500", "messages:p95<1000", "failed<1%");
    }

    @Override
    void measure(Report report) {
        double peak = options.rate(users / (think.toMillis() / 1000.0));
        Duration duration = options.duration(Duration.ofMinutes(4));
        // the seed's stages: 2 min to 100 users, 5 min at 100, 2 min to 500, 5 min at 500, 2 min down (of 16)
        Profile profile = Profile.scaled(duration, peak, 0, 2 / 16.0, 0.2, 5 / 16.0, 0.2, 2 / 16.0, 1, 5 / 16.0, 1,
                2 / 16.0, 0);
        try (Target target = Target.of(options, out, Map.of())) {
            Readers readers = Readers.prepare(target, seed, report, out);
            report.configure("target", target.describe()).configure("duration", duration.toSeconds() + " s")
                    .configure("users", "100 then " + users + ", think time " + think.toMillis() + " ms")
                    .configure("peak arrival rate", rate(peak));
            drive(target, report, profile, peak / 2, (n, second) -> {
                int b = readers.business(n / 2);
                String auth = readers.authorizations().get(b);
                if (n % 2 == 0) {
                    return new OpenLoad.Request("conversations", new LoadClient.Call("/v1/conversations?limit=50", null,
                            "Authorization", auth));
                }
                return new OpenLoad.Request("messages", new LoadClient.Call("/v1/conversations/"
                        + readers.conversation(b, n) + "/messages?limit=100", null, "Authorization", auth));
            }, List.of("conversations", "messages"), options.connections(64));
        }
    }
}
