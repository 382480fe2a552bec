package io.steadfast.load.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import io.steadfast.load.LoadCommand;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.support.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Seed 004's scenarios, short, against a deployment given by --url (the path a user points at their own) and, where a
 * scenario checks the database itself or starts processes, against the Steadfast it starts: each writes its report,
 * and its thresholds and checks set the exit code.
 */
class LoadPlanTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @TempDir
    Path reports;

    private record Run(int exit, JsonNode report, String err) {
        JsonNode stats(String series) {
            return StreamSupport.stream(report.path("stats").spliterator(), false)
                    .filter(s -> s.path("series").asText().equals(series)).findFirst().orElseThrow();
        }

        JsonNode check(String name) {
            return StreamSupport.stream(report.path("checks").spliterator(), false)
                    .filter(c -> c.path("name").asText().equals(name)).findFirst().orElseThrow();
        }
    }

    private Run load(String scenario, boolean remote, String... args) throws IOException {
        Path dir = reports.resolve(scenario);
        List<String> all = new ArrayList<>(List.of(scenario, "--report", dir.toString(), "--warmup", "0s"));
        if (remote) {
            all.addAll(List.of("--url", "http://127.0.0.1:" + server.node().port(),
                    "--api-token", server.node().config().apiToken()));
        }
        all.addAll(List.of(args));
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new LoadCommand()).setErr(new PrintWriter(err)).execute(all.toArray(String[]::new));
        JsonNode report = Files.exists(dir.resolve("report.json")) ? Json.parse(Files.readString(dir.resolve("report.json")))
                : null;
        if (report != null) {
            assertThat(dir.resolve("report.md")).content().contains("## Performance metrics", "## PASS/FAIL");
            assertThat(dir.resolve("report.html")).content().contains("<svg", "Percentile distribution");
        }
        return new Run(exit, report, err.toString());
    }

    private String appSecret() {
        return server.node().config().whatsappAppSecret();
    }

    @Test
    void webhooks_at_a_deployment_all_arrive_and_a_crossed_threshold_sets_exit_99() throws IOException {
        Run run = load("webhooks", true, "--app-secret", appSecret(), "--rate", "100", "--duration", "3s",
                "--threshold", "failed<0.1%", "--threshold", "max<0.001");

        assertThat(run.exit()).isEqualTo(99);
        assertThat(run.stats("webhooks").path("ok").asLong()).isEqualTo(300);
        assertThat(run.check("acknowledged webhooks became messages (a sample of 1 in 100)").path("passed").asBoolean())
                .isTrue();
        assertThat(run.report().path("thresholds")).extracting(t -> t.path("threshold").asText() + " " + t.path("holds"))
                .containsExactly("failed<0.1% true", "max<0.001 false");
    }

    @Test
    void webhooks_on_our_own_node_are_counted_in_its_database() throws IOException {
        Run run = load("webhooks", false, "--rate", "50", "--duration", "2s");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.check("every acknowledged webhook became a message").path("detail").asText())
                .isEqualTo("100 acknowledged, 100 stored");
        assertThat(run.report().path("resources")).isNotEmpty();
    }

    @Test
    void every_live_client_receives_every_change() throws IOException {
        Run run = load("realtime", true, "--app-secret", appSecret(), "--clients", "20", "--rate", "10", "--duration", "3s",
                "--threshold", "failed<0.1%");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.stats("delivery").path("ok").asLong()).isEqualTo(20 * 30);
        assertThat(run.check("no drops: every client received every change").path("passed").asBoolean()).isTrue();
        assertThat(run.check("no connection closed by the server").path("passed").asBoolean()).isTrue();
    }

    @Test
    void dashboards_and_queries_read_what_the_deployment_has_and_soak_and_spike_judge_it_over_time() throws IOException {
        for (int i = 0; i < 30; i++) {
            server.http().postWebhook(new WhatsAppPayloads("100200300400", "15550001111").messages(List.of(
                    new WhatsAppPayloads.Message("wamid.dash." + i, "4917" + (20_000_000 + i), "Customer " + i,
                            1_700_000_000L + i, "hello " + i))));
        }

        Run dashboard = load("dashboard", true, "--users", "40", "--duration", "4s");
        assertThat(dashboard.exit()).as(dashboard.err()).isZero();
        assertThat(dashboard.stats("conversations").path("ok").asLong()).isPositive();
        assertThat(dashboard.stats("messages").path("failed").asLong()).isZero();

        Run queries = load("queries", true, "--rate", "20", "--duration", "2s", "--threshold", "failed<0.1%");
        assertThat(queries.exit()).as(queries.err()).isZero();
        assertThat(queries.report().path("stats")).extracting(q -> q.path("series").asText())
                .containsExactly("q1-conversations", "q2-messages", "search", "analytics");

        Run soak = load("soak", true, "--app-secret", appSecret(), "--rate", "40", "--duration", "6s",
                "--threshold", "failed<0.1%");
        assertThat(soak.exit()).as(soak.err()).isZero();
        assertThat(soak.check("database sessions not growing").path("passed").asBoolean()).isTrue();

        Run spike = load("spike", true, "--app-secret", appSecret(), "--rate", "10", "--duration", "14s");
        assertThat(spike.exit()).as(spike.err()).isZero();
        assertThat(spike.check("recovered after the spike").path("detail").asText()).contains("after the spike ended");
    }

    @Test
    void over_its_limit_a_key_is_refused_with_retry_after_and_the_other_is_not() throws IOException {
        Run run = load("rate-limit", false, "--limit", "20/2s", "--duration", "4s");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.stats("under-limit").path("failed").asLong()).isZero();
        assertThat(run.check("over the limit: refused with 429").path("passed").asBoolean()).isTrue();
        assertThat(run.check("no more let through than the limit allows").path("passed").asBoolean()).isTrue();
    }

    @Test
    void sends_are_each_sent_once_by_the_providers() throws IOException {
        Run run = load("sends", false, "--rate", "40", "--duration", "2s", "--threshold", "failed<0.1%");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.check("every message sent, once").path("detail").asText()).startsWith("80 sent of 80; 80 provider calls");
    }

    @Test
    void a_restart_is_timed_from_the_process_start_to_its_first_answer() throws IOException {
        Run run = load("cold-start", false, "--runs", "1", "--startup-cache", "off", "--threshold", "warm:max<60000");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.stats("empty").path("ok").asLong()).isEqualTo(1);
        assertThat(run.stats("warm").path("p50").asDouble()).isPositive();
    }

    @Test
    void bad_usage_is_refused_before_anything_starts() throws IOException {
        Run threshold = load("webhooks", false, "--threshold", "p95 < soon");
        assertThat(threshold.exit()).isEqualTo(2);
        assertThat(threshold.err()).contains("cannot read threshold 'p95 < soon'", "Usage: load webhooks");

        Run rate = load("dashboard", false, "--rate", "0");
        assertThat(rate.exit()).isEqualTo(2);
        assertThat(rate.err()).contains("--rate must be above 0");

        Run remote = load("cold-start", true);
        assertThat(remote.exit()).isEqualTo(2);
        assertThat(remote.err()).contains("cannot restart the deployment at --url");
    }
}
