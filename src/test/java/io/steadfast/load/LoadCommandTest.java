package io.steadfast.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.whatsapp.NotificationParser;
import io.steadfast.whatsapp.Signature;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Numbers that make no benchmark are refused as bad usage, naming the option, before anything starts. */
class LoadCommandTest {
    @ParameterizedTest(name = "load {0} {1} {2}")
    @CsvSource({
            "orders, --orders, 0",
            "orders, --connections, 0",
            "orders, --seconds, -1",
            "orders, --updates, 0",
            "ingest, --connections, 0",
            "ingest, --rate, 0",
            "ingest, --seconds, 0",
            "ingest, --runs, 0",
            "commerce, --rounds, 0",
            "commerce, --connections, 0",
            "queries, --businesses, 0",
            "queries, --messages, 0",
            "queries, --connections, 0",
            "dashboard, --connections, 0",
            "wrk, --count, 0"})
    void a_number_that_makes_no_benchmark_is_bad_usage(String benchmark, String option, String value) {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new LoadCommand()).setErr(new PrintWriter(err)).execute(benchmark, option, value);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(option + " must be at least", "got " + value, "Usage: load " + benchmark);
    }

    @Test
    void wrk_gets_distinct_webhooks_signed_with_the_secret_given_and_the_script_that_sends_them(@TempDir Path dir)
            throws Exception {
        int exit = new CommandLine(new LoadCommand()).execute("wrk", "--app-secret", "wrk-secret-0123456789",
                "--count", "50", "--out", dir.toString());

        assertThat(exit).isZero();
        assertThat(dir.resolve("webhooks.lua")).content().contains("function request()", "X-Hub-Signature-256");
        Path bodies;
        try (var files = Files.list(dir)) {
            bodies = files.filter(f -> f.getFileName().toString().endsWith(".tsv")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(bodies);
        Signature signature = new Signature("wrk-secret-0123456789");
        assertThat(lines).hasSize(50).allSatisfy(line -> {
            String[] parts = line.split("\t", 2);
            signature.verify(parts[1].getBytes(StandardCharsets.UTF_8), parts[0]);
            assertThat(new NotificationParser().parse(parts[1].getBytes(StandardCharsets.UTF_8)).events()).hasSize(1);
        });
        assertThat(lines.stream().map(line -> line.split("\t", 2)[1]).distinct()).hasSize(50);
    }

    @Test
    void wrk_without_the_app_secret_is_bad_usage() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new LoadCommand()).setErr(new PrintWriter(err)).execute("wrk", "--app-secret", "");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--app-secret is required");
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @CsvSource({"--businesses, 0", "--conversations, 10", "--messages, 0", "--days, 0"})
    void seeding_nothing_is_bad_usage_before_any_database_is_opened(String option, String value) {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SeedCommand()).setErr(new PrintWriter(err)).execute(option, value);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(option + " must be at least", "got " + value, "Usage: seed");
    }
}
