package io.steadfast.chaos.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.Scenario.Need;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.chaos.suite.ScenarioResult.Status;
import io.steadfast.simulator.Api;
import io.steadfast.simulator.Sendable;
import io.steadfast.terminal.Table;
import io.steadfast.whatsapp.Signature;
import io.steadfast.whatsapp.WhatsApp;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/** Runs the selected scenarios against a deployment, prints the results table and writes the report. */
final class ChaosSuite {
    private final ChaosCommand options;
    private final PrintStream out;

    ChaosSuite(ChaosCommand options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() throws Exception {
        if (options.list) {
            Table table = new Table(3, "scenario", "runs with --url", "invariant");
            Scenarios.all().forEach(s -> table.row(s.name(), remotely(s), s.invariant()));
            out.print(table.render());
            return 0;
        }
        List<Scenario> selected = select();
        long seed = options.seed != null ? options.seed : new Random().nextLong();
        if (options.scale <= 0 || options.scale > 1_000) {
            throw new ChaosUsageException("--scale must be above 0 and at most 1000, got " + options.scale);
        }
        Path reportDir = options.report != null ? options.report
                : Path.of("chaos-reports", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        out.printf("steadfast chaos: %d scenarios, scale %s, seed %d%n", selected.size(), options.scale, seed);
        long started = System.nanoTime();
        try (Target target = connect()) {
            out.println("  target: " + target.description());
            List<ScenarioResult> results = new ArrayList<>();
            String phoneStem = "1" + String.format("%09d", System.currentTimeMillis() % 1_000_000_000L);
            for (int i = 0; i < selected.size(); i++) {
                Scenario scenario = selected.get(i);
                ScenarioRun run = new ScenarioRun(phoneStem + String.format("%02d", indexOf(scenario)),
                        new Random(seed * 31 + scenario.name().hashCode()), options.scale, target.api,
                        target.api.base(), target.secrets, target.cluster,
                        Duration.ofSeconds(options.drainTimeoutSeconds), out);
                results.add(runOne(scenario, run, target, reportDir));
            }
            Duration total = Duration.ofNanos(System.nanoTime() - started);
            RunSummary summary = new RunSummary(seed, options.scale, reproduceCommand(seed), target.description(),
                    target.versions(), total, results);
            out.println();
            out.print(ResultsTable.render(results));
            Report.write(reportDir, summary, results);
            target.cluster.ifPresent(c -> Report.copyLogs(c.dir().resolve("logs"), reportDir.resolve("logs")));
            out.println();
            out.println("  report: " + reportDir.toAbsolutePath().resolve("report.html"));
            out.println("  replay: " + summary.command());
            out.println(summary.verdictLine());
            return summary.passed() ? 0 : 1;
        }
    }

    private ScenarioResult runOne(Scenario scenario, ScenarioRun run, Target target, Path reportDir) {
        Set<Need> missing = EnumSet.noneOf(Need.class);
        missing.addAll(scenario.needs());
        missing.removeAll(target.offers);
        if (!missing.isEmpty()) {
            String reason = missing.stream().map(Need::reason).collect(Collectors.joining("; "));
            out.printf("%n- %-24s skipped: %s%n", scenario.name(), reason);
            return ScenarioResult.skipped(scenario, reason);
        }
        out.printf("%n> %-24s %s%n", scenario.name(), scenario.invariant());
        long started = System.nanoTime();
        Verdict verdict = null;
        String error = null;
        try {
            verdict = scenario.run(run);
        } catch (Exception | AssertionError e) {
            error = "the scenario could not finish: " + e;
        } finally {
            if (scenario.needs().contains(Need.FAULT_INJECTION)) {
                run.clearFaults(); // whatever the scenario left switched on, even if it crashed
            }
            run.closeConnections();
        }
        Report.writeHistory(reportDir, scenario.name(), run.history());
        ScenarioResult result = ScenarioResult.finished(scenario, run, verdict, error,
                Duration.ofNanos(System.nanoTime() - started));
        run.notes().forEach(n -> out.println("    " + n));
        out.printf("  %s  %s%n", result.status(), ResultsTable.summary(result));
        if (result.status() == Status.FAILED) {
            if (error != null) {
                out.println("    " + error);
            }
            if (verdict != null) {
                verdict.examples().forEach(e -> out.println("    " + e));
            }
        }
        return result;
    }

    /** The scenario's place in the full list: its provider accounts stay the same whatever else is selected. */
    private static int indexOf(Scenario scenario) {
        List<String> names = Scenarios.all().stream().map(Scenario::name).toList();
        return names.indexOf(scenario.name());
    }

    private static String remotely(Scenario s) {
        if (s.needs().contains(Need.PROCESS_CONTROL) || s.needs().contains(Need.PROVIDER_SIMULATORS)) {
            return "no";
        }
        if (s.needs().contains(Need.FAULT_INJECTION)) {
            return "if fault injection is on";
        }
        return s.needs().contains(Need.CHANNEL_REGISTRATION) ? "if auto-registration is off" : "yes";
    }

    private List<Scenario> select() {
        if (options.scenarios.isEmpty()) {
            return Scenarios.all();
        }
        List<Scenario> selected = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            if (options.scenarios.contains(s.name())) {
                selected.add(s);
            }
        }
        List<String> unknown = new ArrayList<>(options.scenarios);
        unknown.removeAll(selected.stream().map(Scenario::name).toList());
        if (!unknown.isEmpty()) {
            throw new ChaosUsageException("unknown scenario " + unknown + "; the scenarios are: "
                    + Scenarios.all().stream().map(Scenario::name).collect(Collectors.joining(", ")));
        }
        return selected;
    }

    private Target connect() throws Exception {
        if (options.url.value == null) {
            Path dir = Files.createTempDirectory("steadfast-chaos-");
            out.println("  starting embedded PostgreSQL, 1 ingest and 2 worker processes in " + dir + " ...");
            LocalCluster cluster = LocalCluster.start(dir, options.programMainClass(), 2);
            return new Target(new Api(cluster.baseUrl(), cluster.apiToken()),
                    new Sendable.Secrets(cluster.appSecret(), cluster.shopifySecret()), Optional.of(cluster), dir);
        }
        if (options.appSecret.value == null || options.appSecret.value.isBlank() || options.apiToken.value == null
                || options.apiToken.value.isBlank()) {
            throw new ChaosUsageException("--url needs the deployment's secrets: --app-secret (or "
                    + "STEADFAST_WHATSAPP_APP_SECRET) and --api-token (or STEADFAST_API_TOKEN)");
        }
        URI base = URI.create(options.url.value.endsWith("/") ? options.url.value.substring(0, options.url.value.length() - 1) : options.url.value);
        Api api = new Api(base, options.apiToken.value);
        preflight(api, options.appSecret.value);
        String shopifySecret = options.shopifySecret.value == null || options.shopifySecret.value.isBlank() ? null : options.shopifySecret.value;
        return new Target(api, new Sendable.Secrets(options.appSecret.value, shopifySecret), Optional.empty(), null);
    }

    /** Fails fast, with what to fix, when the deployment cannot be reached or a secret is wrong. */
    private static void preflight(Api api, String appSecret) throws Exception {
        try {
            api.get("/v1/channels");
        } catch (Api.ApiException e) {
            throw new ChaosUsageException(e.status() == 401 ? "the API token was refused by " + api.base()
                    : "cannot use " + api.base() + ": " + e.getMessage());
        }
        byte[] notANotification = "{}".getBytes(StandardCharsets.UTF_8);
        HttpRequest probe = HttpRequest.newBuilder(api.base().resolve("/webhooks/whatsapp"))
                .header("Content-Type", "application/json")
                .header(WhatsApp.SIGNATURE_HEADER, new Signature(appSecret).sign(notANotification))
                .POST(HttpRequest.BodyPublishers.ofByteArray(notANotification)).build();
        int status = HttpClient.newHttpClient().send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 401) {
            throw new ChaosUsageException("the app secret was refused by " + api.base() + " (401 on a signed request)");
        }
    }

    private String reproduceCommand(long seed) {
        StringBuilder command = new StringBuilder("./steadfast chaos --seed ").append(seed);
        if (options.scale != 1) {
            command.append(" --scale ").append(options.scale);
        }
        options.scenarios.forEach(s -> command.append(" --scenario ").append(s));
        if (options.url.value != null) {
            command.append(" --url ").append(options.url.value);
        }
        return command.toString();
    }

    /** Bad options or an unusable target: exit status 2 with the message. */
    static final class ChaosUsageException extends RuntimeException {
        ChaosUsageException(String message) {
            super(message);
        }
    }

    /** The deployment under test: its API, and its processes when this command started them. */
    private static final class Target implements AutoCloseable {
        final Api api;
        final Sendable.Secrets secrets;
        final Optional<LocalCluster> cluster;
        final Set<Need> offers = EnumSet.noneOf(Need.class);
        final Path tempDir;
        final JsonNode health;

        Target(Api api, Sendable.Secrets secrets, Optional<LocalCluster> cluster, Path tempDir) {
            this.api = api;
            this.secrets = secrets;
            this.cluster = cluster;
            this.tempDir = tempDir;
            this.health = api.get("/health/detailed");
            cluster.ifPresent(c -> offers.addAll(List.of(Need.PROCESS_CONTROL, Need.PROVIDER_SIMULATORS)));
            if (secrets.shopifySecret() != null) {
                offers.add(Need.SHOPIFY_SECRET);
            }
            if (health.path("settings").path("fault_injection").asBoolean(false)) {
                offers.add(Need.FAULT_INJECTION);
            }
            if (!health.path("settings").path("auto_register_channels").asBoolean(true)) {
                offers.add(Need.CHANNEL_REGISTRATION);
            }
        }

        String description() {
            return cluster.map(c -> "local: embedded PostgreSQL, 1 ingest and " + c.workers().size()
                    + " worker processes in " + c.dir()).orElse("remote: " + api.base());
        }

        RunSummary.Versions versions() {
            return new RunSummary.Versions(io.steadfast.config.Build.version(), Runtime.version().toString(),
                    health.path("components").path("database").path("version").asText("unknown"),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                            + Runtime.getRuntime().availableProcessors() + " cores");
        }

        @Override
        public void close() {
            cluster.ifPresent(LocalCluster::close);
            if (tempDir != null) {
                deleteQuietly(tempDir);
            }
        }

        private static void deleteQuietly(Path dir) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                // a temporary directory left behind is harmless
            }
        }
    }
}
