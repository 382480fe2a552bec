package io.steadfast.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.error.SteadfastException;
import io.steadfast.support.Inbox;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import io.steadfast.terminal.Progress;
import io.steadfast.whatsapp.NotificationParser;
import io.steadfast.whatsapp.Signature;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The load generator sends what it claims to send, and counts what the server really acknowledged. */
class LoadClientTest {
    @RegisterExtension
    static final TestServer server = new TestServer();
    static final Progress QUIET = new Progress(new PrintStream(OutputStream.nullOutputStream()), "test", "req");

    @Test
    void the_webhook_stream_produces_distinct_correctly_signed_notifications() {
        WebhookStream stream = new WebhookStream(TestNodes.APP_SECRET, "t", 3);
        LoadClient.Call first = stream.webhook(0);
        LoadClient.Call fourth = stream.webhook(3);

        var events = new NotificationParser().parse(first.body()).events();
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().dedupKey()).isEqualTo("wamid.t.0");
        assertThat(new NotificationParser().parse(fourth.body()).events().getFirst().dedupKey()).isEqualTo("wamid.t.3");
        assertThat(new String(fourth.body())).contains("\"from\":\"491710000000\"").contains("\"timestamp\":\"1700000003\"");
        new Signature(TestNodes.APP_SECRET).verify(first.body(), first.headers()[1]);
    }

    @Test
    void every_acknowledged_webhook_of_a_closed_and_an_open_loop_is_stored() {
        WebhookStream stream = new WebhookStream(TestNodes.APP_SECRET, "lc", 50);
        AtomicLong sequence = new AtomicLong();
        try (LoadClient client = new LoadClient(URI.create("http://127.0.0.1:" + server.node().port() + "/"), 8)) {
            LoadClient.Outcome closed = client.closedLoop(Duration.ofSeconds(1), n -> stream.webhook(sequence.getAndIncrement()), QUIET);
            LoadClient.Outcome open = client.openLoop(200, Duration.ofSeconds(1), n -> stream.webhook(sequence.getAndIncrement()), QUIET);
            Inbox.awaitDrained(server.db());

            assertThat(closed.ok()).isPositive();
            assertThat(closed.failed()).isZero();
            assertThat(open.ok()).isEqualTo(200);
            assertThat(open.latencyMicros().getTotalCount()).isEqualTo(200);
            assertThat(server.db().count("SELECT count(*) FROM message")).isEqualTo(closed.ok() + open.ok());
        }
    }

    @Test
    void a_target_nobody_listens_on_is_reported_with_what_to_do() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/");

        assertThatThrownBy(() -> new LoadClient(nowhere, 1))
                .isInstanceOf(SteadfastException.class)
                .hasMessageContaining("cannot connect to " + nowhere)
                .hasMessageContaining("is Steadfast running there?");
    }
}
