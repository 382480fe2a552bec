package io.steadfast.support;

import io.steadfast.config.Config;
import io.steadfast.db.DatabaseUrl;
import io.steadfast.node.Node;
import java.util.HashMap;
import java.util.Map;

/** Settings and start-up of Steadfast nodes inside the test JVM, on a random port. */
public final class TestNodes {
    public static final String APP_SECRET = "test-app-secret-0123456789";
    public static final String VERIFY_TOKEN = "test-verify-token-0123456789";
    public static final String API_TOKEN = "test-api-token-0123456789";
    public static final String SHOPIFY_SECRET = "test-shopify-secret-0123456789";
    public static final String JWT_SECRET = "test-jwt-signing-key-0123456789-0123456789";

    private TestNodes() {
    }

    /** Settings for a node on {@code url}: fixed secrets, a random port, short polls and back-offs. */
    public static Map<String, String> settings(DatabaseUrl url) {
        Map<String, String> s = new HashMap<>();
        s.put(Config.DATABASE_URL, url.jdbcUrl());
        s.put(Config.HOST, "127.0.0.1");
        s.put(Config.PORT, "0");
        s.put(Config.DATA_DIR, TestPostgres.tempDir("steadfast-test-data").toString());
        s.put(Config.WHATSAPP_APP_SECRET, APP_SECRET);
        s.put(Config.WHATSAPP_VERIFY_TOKEN, VERIFY_TOKEN);
        s.put(Config.API_TOKEN, API_TOKEN);
        s.put(Config.SHOPIFY_SECRET, SHOPIFY_SECRET);
        s.put(Config.JWT_SECRET, JWT_SECRET);
        s.put(Config.POLL_MS, "100");
        s.put(Config.RETRY_BACKOFF_MS, "50");
        s.put(Config.WORKERS, "2");
        return s;
    }

    public static Node start(DatabaseUrl url) {
        return Node.start(Config.load(settings(url)));
    }

    public static Node start(Map<String, String> settings) {
        return Node.start(Config.load(settings));
    }

    public static Node start(Map<String, String> settings, Node.Options options) {
        return Node.start(Config.load(settings), options);
    }

    public static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> copy = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            copy.put(keyValues[i], keyValues[i + 1]);
        }
        return copy;
    }
}
