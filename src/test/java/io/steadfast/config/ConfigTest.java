package io.steadfast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dataDir;

    Map<String, String> settings(String... keyValues) {
        Map<String, String> s = new HashMap<>();
        s.put(Config.DATA_DIR, dataDir.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            s.put(keyValues[i], keyValues[i + 1]);
        }
        return s;
    }

    @Test
    void missing_secrets_are_generated_once_kept_private_and_reused() throws Exception {
        Config first = Config.load(settings());
        Config second = Config.load(settings());

        assertThat(first.generatedSecrets()).containsExactlyInAnyOrder(Config.API_TOKEN, Config.WHATSAPP_APP_SECRET,
                Config.WHATSAPP_VERIFY_TOKEN, Config.SHOPIFY_SECRET, Config.JWT_SECRET);
        assertThat(second.jwtSecret()).isEqualTo(first.jwtSecret());
        assertThat(second.generatedSecrets()).isEmpty();
        assertThat(second.apiToken()).isEqualTo(first.apiToken()).hasSize(48);
        assertThat(second.whatsappAppSecret()).isEqualTo(first.whatsappAppSecret()).isNotEqualTo(first.apiToken());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("secrets.properties"))))
                .isEqualTo("rw-------");
    }

    @Test
    void defaults_apply_when_nothing_is_set() {
        Config c = Config.load(settings(Config.API_TOKEN, "a".repeat(20), Config.WHATSAPP_APP_SECRET, "b".repeat(20)));
        assertThat(c.port()).isEqualTo(Config.DEFAULT_PORT);
        assertThat(c.role()).isEqualTo(Role.ALL);
        assertThat(c.embeddedDatabase()).isTrue();
        assertThat(c.autoRegisterChannels()).isTrue();
        assertThat(c.workersGiveWay()).isTrue();
        assertThat(c.generatedSecrets()).containsExactlyInAnyOrder(Config.WHATSAPP_VERIFY_TOKEN, Config.SHOPIFY_SECRET,
                Config.JWT_SECRET);
        assertThat(c.tokenLifetime()).hasMinutes(60);
        assertThat(c.apiRateLimit()).hasValueSatisfying(l -> assertThat(l.toString()).isEqualTo("6000/min"));
    }

    @Test
    void rate_limits_and_token_lifetimes_are_read_or_refused_with_the_reason() {
        assertThat(Config.load(settings(Config.API_RATE_LIMIT, "1000/h")).apiRateLimit().orElseThrow().window())
                .hasHours(1);
        assertThat(Config.load(settings(Config.API_RATE_LIMIT, "off")).apiRateLimit()).isEmpty();
        assertThat(Config.load(settings(Config.API_RATE_LIMIT, "30/5s")).apiRateLimit().orElseThrow())
                .hasToString("30/5s").satisfies(l -> assertThat(l.window()).hasSeconds(5));
        assertThatThrownBy(() -> Config.load(settings(Config.API_RATE_LIMIT, "lots")))
                .hasMessageContaining("STEADFAST_API_RATE_LIMIT").hasMessageContaining("1000/h");
        assertThatThrownBy(() -> Config.load(settings(Config.API_RATE_LIMIT, "0/min")))
                .hasMessageContaining("STEADFAST_API_RATE_LIMIT");
        assertThatThrownBy(() -> Config.load(settings(Config.JWT_SECRET, "too-short")))
                .hasMessageContaining("STEADFAST_JWT_SECRET must be at least 32 bytes");
        assertThatThrownBy(() -> Config.load(settings(Config.TOKEN_TTL_MINUTES, "0")))
                .hasMessageContaining("STEADFAST_TOKEN_TTL_MINUTES");
    }

    @Test
    void invalid_settings_are_refused_with_a_message_naming_the_setting_and_the_value() {
        assertThatThrownBy(() -> Config.load(settings(Config.PORT, "70000")))
                .isInstanceOf(ConfigException.class).hasMessage("STEADFAST_PORT must be 0-65535, got 70000");
        assertThatThrownBy(() -> Config.load(settings(Config.PORT, "eighty")))
                .hasMessage("STEADFAST_PORT must be a whole number, got 'eighty'");
        assertThatThrownBy(() -> Config.load(settings(Config.ROLE, "boss")))
                .hasMessage("role must be one of all, ingest, worker; got 'boss'");
        assertThatThrownBy(() -> Config.load(settings(Config.AUTO_REGISTER_CHANNELS, "maybe")))
                .hasMessage("STEADFAST_AUTO_REGISTER_CHANNELS must be true or false, got 'maybe'");
        assertThatThrownBy(() -> Config.load(settings(Config.WORKERS_GIVE_WAY, "sometimes")))
                .hasMessage("STEADFAST_WORKERS_GIVE_WAY must be true or false, got 'sometimes'");
        assertThatThrownBy(() -> Config.load(settings(Config.API_TOKEN, "short")))
                .hasMessageContaining("STEADFAST_API_TOKEN must be at least 16 characters");
        assertThatThrownBy(() -> Config.load(settings(Config.RETENTION_DAYS, "3")))
                .hasMessageStartingWith("STEADFAST_RETENTION_DAYS must be at least 7 (Meta retries a webhook for up to 7 days");
        assertThatThrownBy(() -> Config.load(settings(Config.WHATSAPP_VERIFY_TOKEN, "guessable")))
                .hasMessageContaining("STEADFAST_WHATSAPP_VERIFY_TOKEN must be at least 16 characters");
        assertThatThrownBy(() -> io.steadfast.db.DatabaseUrl.parse("mysql://x"))
                .hasMessageContaining("STEADFAST_DATABASE_URL must start with jdbc:postgresql:// or postgres://");
    }

    @Test
    void a_postgres_uri_becomes_a_jdbc_url_and_its_password_is_never_displayed() {
        var url = io.steadfast.db.DatabaseUrl.parse("postgres://app:s%40cret@db.example.com:6543/steadfast?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/steadfast?sslmode=require");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(url.display()).doesNotContain("s@cret");
        assertThat(io.steadfast.db.DatabaseUrl.parse("jdbc:postgresql://h/db?user=u&password=pw").display()).doesNotContain("pw");
        assertThat(url.toString()).doesNotContain("s@cret").contains("db.example.com");
    }

    @Test
    void the_configuration_prints_no_secret_and_no_database_password() {
        Config c = Config.load(settings(Config.API_TOKEN, "api-token-0123456789", Config.WHATSAPP_APP_SECRET,
                "app-secret-0123456789", Config.DATABASE_URL, "postgres://app:hunter2hunter2@db.example.com/steadfast",
                Config.SHOPIFY_RECONCILE_MINUTES, "15", Config.SHOPIFY_SHOP, "s.myshopify.com",
                Config.SHOPIFY_ADMIN_TOKEN, "shpat_admin_token_123"));

        assertThat(c.toString()).contains("db.example.com", "s.myshopify.com", "apiToken=***")
                .doesNotContain("api-token-0123456789", "app-secret-0123456789", "hunter2", "shpat_admin_token_123",
                        c.whatsappVerifyToken(), c.shopifySecret());
    }
}
