package io.steadfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.steadfast.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/alerts.yml is a well-formed rules file whose every expression names metrics a node really serves. */
class AlertRulesTest {
    static final Path RULES = Path.of("docs/alerts.yml");
    static final Pattern METRIC = Pattern.compile("\\b(steadfast_[a-z0-9_]+)\\b");

    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void every_rule_is_complete_and_every_metric_it_reads_is_served() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        List<JsonNode> all = new ArrayList<>();
        rules.path("groups").forEach(g -> g.path("rules").forEach(all::add));
        assertThat(all).extracting(r -> r.path("alert").asText()).contains("SteadfastDatabaseDown",
                "SteadfastInboxFallingBehind", "SteadfastDeadLetters", "SteadfastFencingRefusals",
                "SteadfastReconciliationGap", "SteadfastMessagesUnknown").doesNotHaveDuplicates();

        String served = server.http().getWithoutToken("/metrics").body();
        Set<String> named = new TreeSet<>();
        for (JsonNode rule : all) {
            assertThat(rule.path("expr").asText()).as(rule.path("alert").asText()).isNotBlank();
            assertThat(rule.path("labels").path("severity").asText()).isIn("page", "ticket");
            assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).isNotBlank();
            Matcher m = METRIC.matcher(rule.path("expr").asText());
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        assertThat(named).isNotEmpty().allSatisfy(metric ->
                assertThat(served).as("/metrics serves " + metric).containsPattern("(?m)^" + metric + "[{ ]"));

        Path promtool = Path.of("/usr/bin/promtool"); // where Prometheus's own checker is installed, it has the last word
        if (Files.isExecutable(promtool)) {
            Process p = new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString())
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        }
    }

    @Test
    void http_requests_and_the_connection_pool_are_measured() {
        server.http().get("/v1/conversations?limit=1");
        server.http().getWithoutToken("/v1/conversations");

        String served = server.http().getWithoutToken("/metrics").body();
        assertThat(served).containsPattern("steadfast_http_requests_seconds_count\\{[^}]*route=\"/v1/conversations\"[^}]*status=\"200\"")
                .containsPattern("steadfast_http_requests_seconds_count\\{[^}]*status=\"401\"")
                .contains("hikaricp_connections_active", "hikaricp_connections_pending");
    }
}
