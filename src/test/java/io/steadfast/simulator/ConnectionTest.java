package io.steadfast.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The minimal client reads every shape of answer it meets, and says when the server will close. */
class ConnectionTest {
    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sized", exchange -> {
            received.add(exchange.getRequestMethod() + " " + new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8) + " " + exchange.getRequestHeaders().getFirst("X-Signature"));
            byte[] body = "{\"error\":\"refused\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Retry-After", "2");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("first;".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("second".repeat(2_000).getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/closing", exchange -> {
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void sends_posts_and_gets_on_one_kept_alive_connection_and_reads_sized_and_chunked_bodies() throws IOException {
        try (Connection connection = new Connection(base(), Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            Connection.Response refused = connection.exchange("/sized", "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                    "X-Signature", "sha256=abc");
            Connection.Response chunked = connection.exchange("/chunked", null);
            Connection.Response again = connection.exchange("/sized", "{}".getBytes(StandardCharsets.UTF_8));

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.retryAfter()).isEqualTo("2");
            assertThat(refused.bodyText()).isEqualTo("{\"error\":\"refused\"}");
            assertThat(refused.closing()).isFalse();
            assertThat(chunked.status()).isEqualTo(200);
            assertThat(chunked.bodyText()).isEqualTo("first;" + "second".repeat(2_000));
            assertThat(again.status()).isEqualTo(503);
            assertThat(received).containsExactly("POST {\"a\":1} sha256=abc", "POST {} null");
        }
    }

    @Test
    void an_answer_that_closes_the_connection_says_so() throws IOException {
        try (Connection connection = new Connection(base(), Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            Connection.Response response = connection.exchange("/closing", null);

            assertThat(response.status()).isEqualTo(204);
            assertThat(response.body()).isEmpty();
            assertThat(response.closing()).isTrue();
        }
    }

    @Test
    void an_answer_that_is_not_http_fails_as_an_io_error() throws Exception {
        try (ServerSocket garbage = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = garbage.accept()) {
                    s.getOutputStream().write("HTTP/1.1 abc nonsense\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the test reads what arrived
                }
            });
            try (Connection connection = new Connection(URI.create("http://127.0.0.1:" + garbage.getLocalPort()),
                    Duration.ofSeconds(2), Duration.ofSeconds(5))) {
                assertThatThrownBy(() -> connection.exchange("/", null))
                        .isInstanceOf(IOException.class).hasMessageContaining("not well-formed");
            }
        }
    }
}
