package io.steadfast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.config.Config;
import io.steadfast.fault.Faults;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.support.Http;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import io.steadfast.whatsapp.Signature;
import io.steadfast.whatsapp.WhatsApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Nothing under /v1 but signing in answers without a credential, and an oversize body is refused however it is sent. */
class ApiGuardTest {
    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(Config.MAX_BODY_BYTES, "4096"));

    @Test
    void every_registered_v1_route_answers_401_without_a_token_and_with_a_wrong_one() {
        List<HttpServer.Route> routes = server.node().http().orElseThrow().routes().stream()
                .filter(r -> r.path().startsWith("/v1/") && !r.method().equals("WS")
                        && !r.method().equals("BEFORE") && !r.method().equals("AFTER"))
                .filter(r -> !r.path().equals("/v1/auth/token")) // signing in is how a credential is got
                .toList();
        assertThat(routes).extracting(HttpServer.Route::path)
                .contains("/v1/conversations", "/v1/orders", "/v1/inbox/dead", "/v1/channels", "/v1/faults",
                        "/v1/businesses", "/v1/api-keys", "/v1/users");

        for (HttpServer.Route route : routes) {
            String path = route.path().replaceAll("\\{[^}]+}", "1").replaceAll("<[^>]+>", "1");
            for (String authorization : new String[] {null, "Bearer not-the-api-token-0123456789", "Basic abc"}) {
                Http.Response r = server.http().call(route.method(), path, authorization);
                assertThat(r.status()).as(route + " with " + authorization).isEqualTo(401);
                assertThat(r.json().path("error").asText()).isEqualTo("unauthorized");
            }
        }
    }

    @Test
    void the_sync_socket_refuses_a_wrong_token() {
        assertThat(server.node().http().orElseThrow().routes()).contains(new HttpServer.Route("WS", "/v1/sync"));
        URI uri = URI.create("ws://127.0.0.1:" + server.node().port() + "/v1/sync");
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer not-the-api-token-0123456789")
                .buildAsync(uri, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(401));
    }

    @Test
    void a_stored_request_keeps_only_the_signature_and_content_type_of_its_headers() {
        byte[] body = new WhatsAppPayloads("5550198", "+1 555 0198").messages(List.of(
                new WhatsAppPayloads.Message("wamid.headers", "15550100", "Hu", 1_700_000_000L, "hi")));
        Http.Response r = server.http().post("/webhooks/whatsapp", "application/json", body,
                WhatsApp.SIGNATURE_HEADER, new Signature(TestNodes.APP_SECRET).sign(body),
                "Cookie", "session=do-not-keep", "X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer do-not-keep");
        assertThat(r.status()).as(r.body()).isEqualTo(200);

        String stored = server.db().rows("SELECT headers::text AS h FROM webhook_delivery").getFirst().get("h").toString();
        assertThat(stored).contains("x-hub-signature-256", "content-type")
                .doesNotContain("do-not-keep", "203.0.113.9", "cookie", "user-agent");
    }

    @Test
    void without_fault_injection_no_fault_hook_runs_and_the_schema_has_no_fault_table() {
        server.node().faults().failNextWebhooks(1, Faults.Point.BEFORE_COMMIT);
        byte[] body = new WhatsAppPayloads("5550197", "+1 555 0197").messages(List.of(
                new WhatsAppPayloads.Message("wamid.nofault", "15550100", "Hu", 1_700_000_000L, "hi")));

        Http.Response r = server.http().post("/webhooks/whatsapp", "application/json", body,
                WhatsApp.SIGNATURE_HEADER, new Signature(TestNodes.APP_SECRET).sign(body));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(server.db().count("SELECT count(*) FROM pg_tables WHERE tablename = 'fault_injection'")).isZero();
    }

    @Test
    void a_chunked_body_over_the_limit_answers_413_and_stores_nothing() {
        StringBuilder text = new StringBuilder();
        while (text.length() < 8_000) {
            text.append("a long message ");
        }
        byte[] body = new WhatsAppPayloads("5550199", "+1 555 0199").messages(List.of(
                new WhatsAppPayloads.Message("wamid.chunked", "15550100", "Big", 1_700_000_000L, text.toString())));
        String signature = new Signature(TestNodes.APP_SECRET).sign(body);

        Http.Response r = server.http().postChunked("/webhooks/whatsapp", body, WhatsApp.SIGNATURE_HEADER, signature);

        assertThat(r.status()).as(r.body()).isEqualTo(413);
        assertThat(r.json().path("error").asText()).isEqualTo("payload_too_large");
        assertThat(server.db().storedRows()).isZero();
    }
}
