package io.steadfast.load;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.config.Config;
import io.steadfast.error.SteadfastException;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.TestServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pointed at a deployment whose inbox nothing drains, the load generator says so at once instead of waiting. */
class InboxDrainTest {
    @RegisterExtension
    static final TestServer ingestOnly = new TestServer(Map.of(Config.ROLE, "ingest"));

    @Test
    void a_backlog_with_no_worker_to_apply_it_is_reported_with_what_to_do() {
        ingestOnly.http().postWebhook(new WhatsAppPayloads("5550199", "+1 555 0199").messages(List.of(
                new Message("wamid.drain.1", "15550198", "Ana", 1_700_000_000L, "hello"))));
        URI base = URI.create("http://127.0.0.1:" + ingestOnly.node().port() + "/");

        assertThatThrownBy(() -> InboxDrain.of(base).await())
                .isInstanceOf(SteadfastException.class)
                .hasMessageContaining("holds 1 pending events and no worker has reported lately")
                .hasMessageContaining("--role worker");
    }
}
