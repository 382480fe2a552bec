package io.steadfast.node;

import io.steadfast.config.Config;
import java.util.Map;
import java.util.TreeMap;

/** What serve prints once it is up: where to send webhooks, which database, where data lives, new secrets. */
final class Banner {
    private Banner() {
    }

    static String render(Node node, String version) {
        Config c = node.config();
        StringBuilder out = new StringBuilder();
        out.append("\n  Steadfast ").append(version).append(" is running (role: ").append(c.role()).append(")\n\n");
        if (c.role().servesHttp()) {
            String base = "http://" + ("0.0.0.0".equals(c.host()) ? "localhost" : c.host()) + ":" + node.port();
            line(out, "URL", base);
            line(out, "Dashboard", base + "/   (sign in with a user's email and password, or the operator token)");
            line(out, "Webhooks", base + "/webhooks/whatsapp   " + base + "/webhooks/shopify");
            line(out, "API", base + "/v1/conversations   (Authorization: Bearer <operator token, API key or access token>)");
            line(out, "Limits", c.apiRateLimit().map(l -> l + " per API key or user").orElse("no API rate limit")
                    + " (" + Config.API_RATE_LIMIT + ")");
            line(out, "Health", base + "/health/detailed");
        }
        node.embeddedPostgres().ifPresentOrElse(pg -> {
            line(out, "Database", "embedded PostgreSQL on port " + pg.port() + (pg.owned() ? "" : " (shared with another steadfast process)"));
            line(out, "Data", pg.dataDir().toString());
        }, () -> line(out, "Database", node.database().url().display()));
        if (c.role().runsWorkers()) {
            line(out, "Workers", c.workers() + " threads, batches of " + c.batchSize() + ", lease " + c.lease().toMillis() + " ms");
        }
        if (!c.generatedSecrets().isEmpty()) {
            out.append("\n  Generated secrets (shown once; kept in ").append(c.dataDir().resolve("secrets.properties")).append("):\n");
            Map<String, String> values = new TreeMap<>(Map.of(
                    Config.WHATSAPP_APP_SECRET, c.whatsappAppSecret(),
                    Config.WHATSAPP_VERIFY_TOKEN, c.whatsappVerifyToken(),
                    Config.API_TOKEN, c.apiToken(),
                    Config.SHOPIFY_SECRET, c.shopifySecret(),
                    Config.JWT_SECRET, c.jwtSecret()));
            values.forEach((key, value) -> {
                if (c.generatedSecrets().contains(key)) {
                    out.append("    ").append(key).append('=').append(value).append('\n');
                }
            });
        } else {
            line(out, "Secrets", "from the environment or " + c.dataDir().resolve("secrets.properties"));
        }
        out.append("\n  Stop with Ctrl-C: in-flight requests and batches finish first.\n");
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("  %-9s %s%n", label, value));
    }
}
