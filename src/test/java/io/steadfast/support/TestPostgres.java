package io.steadfast.support;

import io.steadfast.db.Database;
import io.steadfast.db.DatabaseUrl;
import io.steadfast.db.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test run, started from the same embedded binaries and durable settings as
 * production. Each test class gets its own database, copied from a template built by the production migrations.
 */
public final class TestPostgres {
    private static final String TEMPLATE = "steadfast_template";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            Path dir = tempDir("steadfast-test-pg");
            server = EmbeddedPostgres.startOrAttach(dir.resolve("pgdata"), 0);
            createTemplate();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                deleteRecursively(dir);
            }));
        }
        return server;
    }

    /** A new, migrated, empty database. */
    public static DatabaseUrl freshDatabase() {
        String name = "test_" + DATABASES.incrementAndGet();
        execute(adminUrl(), "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return DatabaseUrl.parse(url(name));
    }

    public static String url(String database) {
        return "jdbc:postgresql://localhost:" + server().port() + "/" + database + "?user=postgres";
    }

    public static void execute(String jdbcUrl, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static String adminUrl() {
        return url("postgres");
    }

    private static void createTemplate() {
        execute(adminUrl(), "CREATE DATABASE " + TEMPLATE);
        Database.migrate(DatabaseUrl.parse(url(TEMPLATE)));
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp directory
        }
    }
}
