package io.steadfast.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.config.Config;
import io.steadfast.node.Node;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.support.Http;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each credential has its own bucket of requests, shared by every node; over it, 429 with the time to wait. */
class RateLimitTest {
    static final int LIMIT = 5;

    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(Config.API_RATE_LIMIT, LIMIT + "/min"));
    static final String OPERATOR = TestNodes.API_TOKEN;

    Http http() {
        return server.http();
    }

    String newBusiness(String name, String limit) {
        String body = limit == null ? "{\"name\": \"" + name + "\"}"
                : "{\"name\": \"" + name + "\", \"api_rate_limit\": \"" + limit + "\"}";
        return http().api("POST", "/v1/businesses", body, OPERATOR).json().path("api_key").asText();
    }

    @Test
    void a_credential_gets_its_limit_with_headers_then_429_with_retry_after() {
        String key = newBusiness("Acme", null);
        List<Http.Response> answers = new ArrayList<>();
        for (int i = 0; i < LIMIT + 2; i++) {
            answers.add(http().api("GET", "/v1/orders", null, key));
        }

        for (int i = 0; i < LIMIT; i++) {
            Http.Response ok = answers.get(i);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValue("\"credential\";q=5;w=60");
            assertThat(ok.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"credential\";r=" + (LIMIT - 1 - i) + ";t=");
        }
        for (Http.Response refused : answers.subList(LIMIT, LIMIT + 2)) {
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().path("error").asText()).isEqualTo("rate_limited");
            assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
            assertThat(refused.headers().firstValue("RateLimit").orElseThrow()).contains(";r=0;");
            assertThat(refused.headers().firstValue("RateLimit-Policy")).isPresent();
        }
        long now = System.currentTimeMillis();
        assertThat(server.db().count("SELECT max(expires_at) FROM rate_limit_bucket"))
                .as("a bucket expires, in epoch ms, once full again and unused for a minute")
                .isBetween(now + 60_000, now + 60_000 + 61_000);
    }

    @Test
    void another_credential_the_operator_and_the_webhooks_are_not_held_back() {
        String key = newBusiness("Acme", null);
        String other = http().api("POST", "/v1/api-keys", "{\"name\": \"second\"}", key).json().path("api_key").asText();
        for (int i = 0; i < LIMIT + 1; i++) {
            http().api("GET", "/v1/orders", null, key);
        }
        assertThat(http().api("GET", "/v1/orders", null, key).status()).isEqualTo(429);

        assertThat(http().api("GET", "/v1/orders", null, other).status()).isEqualTo(200);
        Http.Response operator = http().api("GET", "/v1/orders", null, OPERATOR);
        assertThat(operator.status()).isEqualTo(200);
        assertThat(operator.headers().firstValue("RateLimit")).isEmpty();
        for (int i = 0; i < LIMIT * 3; i++) {
            Http.Response webhook = http().postWebhook(new WhatsAppPayloads("300000003", "1555")
                    .messages(List.of(new Message("wamid.rl" + i, "1555", "R", 1_700_000_000L + i, "hi"))));
            assertThat(webhook.status()).isEqualTo(200);
            assertThat(webhook.headers().firstValue("RateLimit")).isEmpty();
        }
    }

    @Test
    void two_nodes_behind_one_database_allow_the_limit_once() {
        String key = newBusiness("Acme", null);
        try (Node second = TestNodes.start(TestNodes.with(TestNodes.settings(server.db().database().url()),
                Config.API_RATE_LIMIT, LIMIT + "/min"))) {
            Http other = new Http(second.port());
            int allowed = 0;
            for (int i = 0; i < LIMIT * 2; i++) {
                Http node = i % 2 == 0 ? http() : other;
                if (node.api("GET", "/v1/orders", null, key).status() == 200) {
                    allowed++;
                }
            }
            assertThat(allowed).isEqualTo(LIMIT);
        }
    }

    @Test
    void a_business_may_have_its_own_limit_and_bad_limits_are_refused() {
        String tight = newBusiness("Tight", "2/min");
        String free = newBusiness("Free", "off");
        int allowedTight = 0;
        int allowedFree = 0;
        for (int i = 0; i < LIMIT + 2; i++) {
            allowedTight += http().api("GET", "/v1/orders", null, tight).status() == 200 ? 1 : 0;
            allowedFree += http().api("GET", "/v1/orders", null, free).status() == 200 ? 1 : 0;
        }
        assertThat(allowedTight).isEqualTo(2);
        assertThat(allowedFree).isEqualTo(LIMIT + 2);

        long id = server.db().count("SELECT id FROM business WHERE name = 'Tight'");
        Http.Response bad = http().api("PATCH", "/v1/businesses/" + id, "{\"api_rate_limit\": \"many\"}", OPERATOR);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("message").asText()).contains("1000/h");
        assertThat(http().api("POST", "/v1/businesses", "{\"name\": \"X\", \"api_rate_limit\": \"-1/h\"}", OPERATOR).status())
                .isEqualTo(400);
        assertThat(http().api("PATCH", "/v1/businesses/999999", "{\"api_rate_limit\": \"5/h\"}", OPERATOR).status())
                .isEqualTo(404);
        Http.Response changed = http().api("PATCH", "/v1/businesses/" + id, "{\"api_rate_limit\": \"100/hour\"}", OPERATOR);
        assertThat(changed.json().path("api_rate_limit").asText()).isEqualTo("100/h");
        assertThat(server.db().count("SELECT count(*) FROM business WHERE name = 'X'")).isZero();
    }
}
