package io.steadfast.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The admin token is sent to the shop's own host only, whatever a Link header says. */
class AdminApiClientTest {

    @Test
    void a_next_page_on_another_host_is_refused_and_that_host_never_sees_the_token() throws IOException {
        AtomicInteger elsewhereCalls = new AtomicInteger();
        HttpServer elsewhere = serve(exchange -> {
            elsewhereCalls.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        URI elsewhereUrl = URI.create("http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/steal");
        HttpServer shop = serve(exchange -> {
            byte[] body = "{\"orders\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Link", "<" + elsewhereUrl + ">; rel=\"next\"");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        try {
            AdminApiClient client = new AdminApiClient(URI.create("http://localhost:" + shop.getAddress().getPort()),
                    "shpat_secret");
            AdminApiClient.Page first = client.firstPage(Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(first.next()).contains(elsewhereUrl);

            assertThatThrownBy(() -> client.page(first.next().orElseThrow()))
                    .hasMessageContaining("refused, so the admin token is not sent there");
            assertThat(elsewhereCalls).hasValue(0);
        } finally {
            shop.stop(0);
            elsewhere.stop(0);
        }
    }

    private static HttpServer serve(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", handler);
        server.start();
        return server;
    }
}
