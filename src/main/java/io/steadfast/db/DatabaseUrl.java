package io.steadfast.db;

import io.steadfast.config.Config;
import io.steadfast.config.ConfigException;
import io.steadfast.config.Redact;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL location, accepted either as a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=u&password=p})
 * or as the URI most hosts print ({@code postgres://u:p@host:5432/db}).
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String raw) {
        if (raw.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(raw, null, null);
        }
        if (raw.startsWith("postgres://") || raw.startsWith("postgresql://")) {
            URI uri = URI.create(raw);
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                password = parts.length > 1 ? decode(parts[1]) : null;
            }
            String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new DatabaseUrl("jdbc:postgresql://" + uri.getHost() + port + uri.getRawPath() + query, user, password);
        }
        throw new ConfigException(Config.DATABASE_URL + " must start with jdbc:postgresql:// or postgres://, got '"
                + redact(raw) + "'");
    }

    /** The URL without its password, for banners and logs. */
    public String display() {
        return redact(jdbcUrl) + (user == null ? "" : " (user " + user + ")");
    }

    private static String redact(String url) {
        return Redact.url(url);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + display() + "]";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
