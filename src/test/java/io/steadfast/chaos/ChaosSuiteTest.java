package io.steadfast.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steadfast.Steadfast;
import io.steadfast.chaos.suite.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The short profile of the chaos suite, on every build: every scenario at a fifth of its default size, against
 * processes the command starts itself (embedded PostgreSQL, an ingest JVM, worker JVMs it kills and freezes).
 */
class ChaosSuiteTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void every_scenario_passes_at_a_small_scale_and_the_report_says_so(@TempDir Path reports) throws Exception {
        int exit = new CommandLine(new Steadfast()).execute("chaos", "--scale", "0.2", "--seed", "20261121",
                "--report", reports.toString());

        JsonNode report = JSON.readTree(reports.resolve("report.json").toFile());
        List<String> notPassed = new ArrayList<>();
        report.path("scenarios").forEach(s -> {
            if (!s.path("status").asText().equals("passed")) {
                notPassed.add(s.path("name").asText() + ": " + s.path("status").asText() + " " + s.path("reason")
                        + " " + s.path("examples"));
            }
        });
        assertThat(notPassed).isEmpty();
        assertThat(exit).isZero();
        assertThat(report.path("verdict").asText()).isEqualTo("pass");
        assertThat(report.path("seed").asLong()).isEqualTo(20261121L);
        assertThat(report.path("scenarios")).hasSize(Scenarios.all().size());
        for (JsonNode s : report.path("scenarios")) {
            if (!s.path("name").asText().equals("checker-self-test")) {
                assertThat(s.path("acknowledged").asLong()).as(s.path("name").asText()).isPositive();
                assertThat(s.path("lost").asLong()).isZero();
                assertThat(s.path("duplicates").asLong()).isZero();
                assertThat(Files.exists(reports.resolve("histories").resolve(s.path("name").asText() + ".jsonl"))).isTrue();
            }
        }
        assertThat(Files.readString(reports.resolve("report.md"))).contains("| worker-pause-past-lease |",
                "./steadfast chaos --seed 20261121 --scale 0.2");
        assertThat(Files.readString(reports.resolve("report.html"))).contains("<svg", "PostgreSQL 17");
    }
}
