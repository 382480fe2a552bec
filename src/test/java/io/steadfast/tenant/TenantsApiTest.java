package io.steadfast.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.steadfast.support.Http;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Businesses, their keys and users, signing in, and what each credential may do. */
class TenantsApiTest {
    @RegisterExtension
    static final TestServer server = new TestServer();
    static final String OPERATOR = TestNodes.API_TOKEN;

    Http http() {
        return server.http();
    }

    String newBusiness(String name) {
        Http.Response created = http().api("POST", "/v1/businesses", "{\"name\": \"" + name + "\"}", OPERATOR);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("id").asLong()).isPositive();
        return created.json().path("api_key").asText();
    }

    @Test
    void the_operator_creates_a_business_whose_key_acts_for_it_alone() {
        String key = newBusiness("Acme");

        assertThat(key).startsWith("sfk_");
        assertThat(http().api("GET", "/v1/conversations", null, key).status()).isEqualTo(200);
        assertThat(server.db().count("SELECT count(*) FROM api_key WHERE prefix = ?", key.substring(0, 14))).isEqualTo(1);
        assertThat(server.db().count("SELECT count(*) FROM api_key WHERE encode(key_hash, 'escape') LIKE ?",
                "%" + key.substring(15) + "%")).as("the key itself is not stored").isZero();
    }

    @Test
    void only_the_operator_creates_businesses_and_names_are_unique_and_required() {
        String key = newBusiness("Acme");

        Http.Response byKey = http().api("POST", "/v1/businesses", "{\"name\": \"Other\"}", key);
        assertThat(byKey.status()).isEqualTo(403);
        assertThat(byKey.json().path("message").asText()).contains("operator token");
        assertThat(http().api("POST", "/v1/businesses", "{\"name\": \"Acme\"}", OPERATOR).status()).isEqualTo(409);
        assertThat(http().api("POST", "/v1/businesses", "{\"name\": \"  \"}", OPERATOR).status()).isEqualTo(400);
        assertThat(http().api("POST", "/v1/businesses", "{\"name\": 7}", OPERATOR).status()).isEqualTo(400);
        assertThat(http().api("POST", "/v1/businesses", "not json", OPERATOR).status()).isEqualTo(400);
        assertThat(server.db().count("SELECT count(*) FROM business")).isEqualTo(2);
    }

    @Test
    void keys_are_listed_by_prefix_and_a_revoked_key_stops_working_at_once() {
        String admin = newBusiness("Acme");
        Http.Response made = http().api("POST", "/v1/api-keys", "{\"name\": \"crm sync\"}", admin);
        assertThat(made.status()).isEqualTo(201);
        String key = made.json().path("api_key").asText();
        long id = made.json().path("id").asLong();
        assertThat(http().api("GET", "/v1/orders", null, key).status()).isEqualTo(200);

        JsonNode listed = http().api("GET", "/v1/api-keys", null, admin).json().path("items");
        assertThat(listed).hasSize(2);
        assertThat(listed.toString()).contains(key.substring(0, 14)).doesNotContain(key);

        assertThat(http().api("DELETE", "/v1/api-keys/" + id, null, admin).status()).isEqualTo(204);
        Http.Response refused = http().api("GET", "/v1/orders", null, key);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("message").asText()).contains("revoked");
        assertThat(http().api("DELETE", "/v1/api-keys/999999", null, admin).status()).isEqualTo(404);
    }

    @Test
    void another_business_key_id_is_not_found() {
        String acme = newBusiness("Acme");
        String globex = newBusiness("Globex");
        long acmeKey = http().api("GET", "/v1/api-keys", null, acme).json().path("items").get(0).path("id").asLong();

        assertThat(http().api("DELETE", "/v1/api-keys/" + acmeKey, null, globex).status()).isEqualTo(404);
        assertThat(http().api("GET", "/v1/orders", null, acme).status()).isEqualTo(200);
    }

    @Test
    void an_agent_reads_but_admin_actions_answer_403_naming_the_role() {
        String admin = newBusiness("Acme");
        String agent = http().api("POST", "/v1/api-keys", "{\"name\": \"desk\", \"role\": \"agent\"}", admin)
                .json().path("api_key").asText();

        assertThat(http().api("GET", "/v1/conversations", null, agent).status()).isEqualTo(200);
        assertThat(http().api("GET", "/v1/inbox/dead", null, agent).status()).isEqualTo(200);
        for (String[] call : List.of(new String[] {"POST", "/v1/api-keys", "{\"name\": \"x\"}"},
                new String[] {"GET", "/v1/api-keys", null},
                new String[] {"POST", "/v1/users", "{\"email\": \"a@b.co\", \"password\": \"correct horse battery\", \"role\": \"agent\"}"},
                new String[] {"POST", "/v1/channels", "{\"phone_number_id\": \"123\"}"},
                new String[] {"POST", "/v1/inbox/1/replay", null})) {
            Http.Response r = http().api(call[0], call[1], call[2], agent);
            assertThat(r.status()).as(call[0] + " " + call[1]).isEqualTo(403);
            assertThat(r.json().path("error").asText()).isEqualTo("forbidden");
            assertThat(r.json().path("message").asText()).contains("admin");
        }
        assertThat(server.db().count("SELECT count(*) FROM app_user") + server.db().count("SELECT count(*) FROM channel"))
                .isZero();
    }

    @Test
    void a_user_signs_in_for_a_jwt_that_acts_for_its_business_with_its_role() {
        String admin = newBusiness("Acme");
        Http.Response created = http().api("POST", "/v1/users",
                "{\"email\": \"Ana@Example.com\", \"password\": \"correct horse battery\", \"role\": \"agent\"}", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("email").asText()).isEqualTo("ana@example.com");
        assertThat(created.body()).doesNotContain("correct horse");

        Http.Response signedIn = http().api("POST", "/v1/auth/token",
                "{\"email\": \"ana@example.com\", \"password\": \"correct horse battery\"}", null);
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.json().path("token_type").asText()).isEqualTo("Bearer");
        assertThat(signedIn.json().path("expires_in").asLong()).isEqualTo(3600);
        String token = signedIn.json().path("access_token").asText();

        assertThat(http().api("GET", "/v1/conversations", null, token).status()).isEqualTo(200);
        assertThat(http().api("GET", "/v1/users", null, token).status()).isEqualTo(403);
        assertThat(server.db().rows("SELECT password_hash FROM app_user").getFirst().get("password_hash").toString())
                .startsWith("$argon2id$").doesNotContain("correct horse");
    }

    @Test
    void bad_users_are_refused_and_nothing_is_written() {
        String admin = newBusiness("Acme");
        String other = newBusiness("Globex");
        http().api("POST", "/v1/users", "{\"email\": \"ana@example.com\", \"password\": \"correct horse battery\", \"role\": \"admin\"}", admin);

        record Case(String body, String credential, int status, String says) {
        }
        for (Case c : List.of(
                new Case("{\"email\": \"ana@example.com\", \"password\": \"another long one\", \"role\": \"agent\"}", admin, 409, "already exists"),
                new Case("{\"email\": \"ANA@example.com\", \"password\": \"another long one\", \"role\": \"agent\"}", other, 409, "already exists"),
                new Case("{\"email\": \"bo@example.com\", \"password\": \"short\", \"role\": \"agent\"}", admin, 400, "at least 12"),
                new Case("{\"email\": \"bo@example.com\", \"password\": \"\", \"role\": \"agent\"}", admin, 400, "password"),
                new Case("{\"email\": \"bo@example.com\", \"role\": \"agent\"}", admin, 400, "password"),
                new Case("{\"email\": \"bo@example.com\", \"password\": \"aaaaaaaaaaaaaaaa\", \"role\": \"agent\"}", admin, 400, "different characters"),
                new Case("{\"email\": \"bo@example.com\", \"password\": \"correct horse battery\", \"role\": \"owner\"}", admin, 400, "\"admin\" or \"agent\""),
                new Case("{\"email\": \"not-an-email\", \"password\": \"correct horse battery\", \"role\": \"agent\"}", admin, 400, "email"),
                new Case("[1]", admin, 400, "JSON object"))) {
            Http.Response r = http().api("POST", "/v1/users", c.body(), c.credential());
            assertThat(r.status()).as(c.body()).isEqualTo(c.status());
            assertThat(r.json().path("message").asText()).as(c.body()).contains(c.says());
        }
        assertThat(server.db().count("SELECT count(*) FROM app_user")).isEqualTo(1);
    }

    @Test
    void a_wrong_password_and_an_unknown_email_get_the_same_answer_in_the_same_time() {
        String admin = newBusiness("Acme");
        http().api("POST", "/v1/users", "{\"email\": \"ana@example.com\", \"password\": \"correct horse battery\", \"role\": \"admin\"}", admin);

        List<Long> wrongPassword = new ArrayList<>();
        List<Long> unknownEmail = new ArrayList<>();
        String wrongBody = null;
        String unknownBody = null;
        for (int i = 0; i < 9; i++) { // alternating, so both see the same machine
            long t0 = System.nanoTime();
            Http.Response wrong = http().api("POST", "/v1/auth/token", "{\"email\": \"ana@example.com\", \"password\": \"incorrect horse\"}", null);
            long t1 = System.nanoTime();
            Http.Response unknown = http().api("POST", "/v1/auth/token", "{\"email\": \"nobody@example.com\", \"password\": \"incorrect horse\"}", null);
            long t2 = System.nanoTime();
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(unknown.status()).isEqualTo(401);
            wrongBody = wrong.body();
            unknownBody = unknown.body();
            wrongPassword.add(t1 - t0);
            unknownEmail.add(t2 - t1);
        }
        assertThat(unknownBody).isEqualTo(wrongBody).contains("invalid_credentials");
        double ratio = (double) median(unknownEmail) / median(wrongPassword);
        assertThat(ratio).as("unknown email / wrong password, median times").isBetween(0.5, 2.0);
    }

    @Test
    void sign_in_attempts_for_one_email_are_limited_whether_or_not_it_exists() {
        String admin = newBusiness("Acme");
        http().api("POST", "/v1/users", "{\"email\": \"ana@example.com\", \"password\": \"correct horse battery\", \"role\": \"admin\"}", admin);
        for (String email : List.of("ana@example.com", "ghost@example.com")) {
            for (int i = 0; i < 10; i++) {
                assertThat(http().api("POST", "/v1/auth/token", "{\"email\": \"" + email + "\", \"password\": \"guess " + i + "\"}", null)
                        .status()).isEqualTo(401);
            }
            Http.Response limited = http().api("POST", "/v1/auth/token",
                    "{\"email\": \"" + email.toUpperCase() + "\", \"password\": \"correct horse battery\"}", null);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        }
        assertThat(http().api("POST", "/v1/auth/token", "{\"email\": \"bo@example.com\", \"password\": \"x\"}", null)
                .status()).as("another email").isEqualTo(401);
    }

    @Test
    void forged_malformed_and_expired_tokens_are_refused() {
        String admin = newBusiness("Acme");
        long business = server.db().count("SELECT id FROM business WHERE name = 'Acme'");
        String valid = sign(TestNodes.JWT_SECRET, business, Instant.now().plusSeconds(600));
        assertThat(http().api("GET", "/v1/orders", null, valid).status()).isEqualTo(200);

        for (String token : List.of(
                sign(TestNodes.JWT_SECRET, business, Instant.now().minusSeconds(600)),
                sign("another-key-that-is-long-enough-0123456789", business, Instant.now().plusSeconds(600)),
                "abc.def.ghi",
                valid.substring(0, valid.lastIndexOf('.')) + ".",
                unsigned(valid))) {
            Http.Response r = http().api("GET", "/v1/orders", null, token);
            assertThat(r.status()).as(token).isEqualTo(401);
            assertThat(r.json().path("error").asText()).isEqualTo("unauthorized");
        }
        assertThat(http().api("GET", "/v1/orders", null, "sfk_notakey").status()).isEqualTo(401);
        assertThat(http().api("GET", "/v1/orders", null, admin.substring(0, admin.length() - 1) + "x").status()).isEqualTo(401);
    }

    private static String sign(String secret, long business, Instant expires) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .issuer("steadfast").subject("1").claim("business_id", business).claim("role", "admin")
                    .issueTime(Date.from(expires.minusSeconds(3600))).expirationTime(Date.from(expires)).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same claims with {@code "alg": "none"} and no signature. */
    private static String unsigned(String token) {
        String header = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        return header + token.substring(token.indexOf('.'), token.lastIndexOf('.')) + ".";
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
