package io.steadfast.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steadfast.Steadfast;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code steadfast chaos --url}: what needs no process control runs; the rest is skipped with its reason. */
class RemoteChaosTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void a_running_deployment_gets_the_scenarios_it_can_take_and_the_rest_are_skipped_not_passed(@TempDir Path reports)
            throws Exception {
        int exit = new CommandLine(new Steadfast()).execute("chaos", "--url", "http://127.0.0.1:" + server.node().port(),
                "--app-secret", TestNodes.APP_SECRET, "--api-token", TestNodes.API_TOKEN,
                "--shopify-secret", TestNodes.SHOPIFY_SECRET, "--scale", "0.1",
                "--seed", "5", "--report", reports.toString());

        JsonNode report = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
        Map<String, String> statuses = new HashMap<>();
        Map<String, String> reasons = new HashMap<>();
        report.path("scenarios").forEach(s -> {
            statuses.put(s.path("name").asText(), s.path("status").asText());
            reasons.put(s.path("name").asText(), s.path("reason").asText());
        });
        assertThat(exit).isZero();
        assertThat(statuses).containsEntry("duplicate-webhook", "passed").containsEntry("concurrent-1000", "passed")
                .containsEntry("out-of-order", "passed").containsEntry("loss-detection", "passed")
                .containsEntry("worker-kill-9", "skipped").containsEntry("db-restart", "skipped")
                .containsEntry("webhook-retry", "skipped").containsEntry("partial-failure", "skipped")
                .containsEntry("order-conflicts", "passed").containsEntry("order-redelivery", "passed")
                .containsEntry("order-reconcile", "skipped").containsEntry("tenant-isolation", "passed")
                .containsEntry("rate-limit", "skipped").containsEntry("wallet-overdraft", "passed")
                .containsEntry("wallet-retry", "passed").containsEntry("wallet-mixed", "passed")
                .containsEntry("last-items", "passed").containsEntry("multi-product", "passed")
                .containsEntry("admin-safety", "passed").containsEntry("order-rollback", "skipped")
                .containsEntry("services-down", "skipped").containsEntry("checkout-kill-9", "skipped");
        assertThat(reasons.get("db-restart")).contains("run without --url");
        assertThat(reasons.get("webhook-retry")).contains("STEADFAST_FAULT_INJECTION=true");
        assertThat(reasons.get("partial-failure")).contains("STEADFAST_AUTO_REGISTER_CHANNELS=false");
        assertThat(report.path("target").asText()).startsWith("remote: http://127.0.0.1:");
    }

    @Test
    void a_wrong_app_secret_stops_the_run_before_any_scenario_with_exit_status_2(@TempDir Path reports) {
        int exit = new CommandLine(new Steadfast()).execute("chaos", "--url", "http://127.0.0.1:" + server.node().port(),
                "--app-secret", "not-the-secret-of-this-deployment", "--api-token", TestNodes.API_TOKEN,
                "--report", reports.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(reports.resolve("report.json")).doesNotExist();
        assertThat(server.db().count("SELECT count(*) FROM inbox_event")).isZero();
    }
}
