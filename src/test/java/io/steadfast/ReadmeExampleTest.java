package io.steadfast;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.config.Config;
import io.steadfast.db.DatabaseUrl;
import io.steadfast.node.Node;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's example, run as written against a node whose secrets were generated the way serve generates them. */
class ReadmeExampleTest {

    @Test
    void the_try_it_block_of_the_readme_works_as_written() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Try it"));
        int second = section.indexOf("```bash", section.indexOf("```bash") + 7);

        Path workDir = TestPostgres.tempDir("steadfast-readme");
        DatabaseUrl url = TestPostgres.freshDatabase();
        Map<String, String> settings = TestNodes.settings(url);
        settings.remove(Config.WHATSAPP_APP_SECRET);
        settings.remove(Config.WHATSAPP_VERIFY_TOKEN);
        settings.remove(Config.API_TOKEN);
        settings.put(Config.DATA_DIR, workDir.resolve(".steadfast").toString());
        try (Node node = TestNodes.start(settings)) {
            String output = run(block(section, 0), node, workDir);
            assertThat(output.lines().toList()).hasSize(3);
            assertThat(output.lines().toList().get(0)).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
            assertThat(output.lines().toList().get(1)).isEqualTo("{\"accepted\":0,\"duplicates\":1}");
            assertThat(output.lines().toList().get(2))
                    .contains("\"text\":\"Does it come in another color?\"")
                    .contains("\"direction\":\"inbound\"")
                    .contains("\"status\":\"received\"");

            List<String> tenants = run(block(section, second), node, workDir).lines().toList();
            assertThat(tenants).hasSize(2);
            assertThat(tenants.get(0)).contains("\"email\":\"ana@acme.example\"", "\"role\":\"agent\"");
            assertThat(tenants.get(1)).isEqualTo("{\"items\":[]}");
        }
    }

    /** The bash block starting at or after {@code from}. */
    private static String block(String text, int from) {
        int start = text.indexOf("```bash", from) + 7;
        return text.substring(start, text.indexOf("```", start));
    }

    private static String run(String block, Node node, Path workDir) throws Exception {
        String script = block.replace("http://localhost:8080", "http://127.0.0.1:" + node.port());
        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(workDir.toFile())
                .redirectErrorStream(true).start();
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(bash.getInputStream().readAllBytes());
        assertThat(bash.exitValue()).as(output).isZero();
        return output;
    }
}
