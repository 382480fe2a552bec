package io.steadfast.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/** The connection pool, Jdbi on top of it, and the migrations. */
public final class Database implements AutoCloseable {
    /** The role the application's queries run as (created by the migrations). */
    public static final String APPLICATION_ROLE = "steadfast_app";
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** A statement that hangs longer than this (a paused server) fails instead of blocking a thread forever. */
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private final DatabaseUrl url;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(DatabaseUrl url, HikariDataSource dataSource) {
        this.url = url;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        jdbi.registerArrayType(String.class, "text");
        jdbi.registerArrayType(Long.class, "bigint");
        jdbi.registerArrayType(Integer.class, "integer");
        jdbi.registerArrayType(UUID.class, "uuid");
    }

    /** Connects as the URL's user: the owner, who migrates and is not held to the businesses' row-level security. */
    public static Database connect(DatabaseUrl url, int poolSize, String applicationName) {
        return connect(url, poolSize, applicationName, null);
    }

    /**
     * Connects for the application: every pooled connection runs as {@link #APPLICATION_ROLE}, to which row-level
     * security applies, and only rows of the businesses a transaction acts for ({@link BusinessScope}) are visible.
     * {@code sessionSettings} ({@code "synchronous_commit = off"}) apply to every connection of this pool.
     */
    public static Database connectAsApplication(DatabaseUrl url, int poolSize, String applicationName,
                                                String... sessionSettings) {
        StringBuilder init = new StringBuilder("SET ROLE " + APPLICATION_ROLE);
        for (String setting : sessionSettings) {
            init.append("; SET ").append(setting);
        }
        Database database = connect(url, poolSize, applicationName, init.toString());
        database.requireRowLevelSecurity();
        return database;
    }

    private static Database connect(DatabaseUrl url, int poolSize, String applicationName, String initSql) {
        HikariConfig hikari = new HikariConfig();
        if (initSql != null) {
            hikari.setConnectionInitSql(initSql);
        }
        hikari.setPoolName("steadfast");
        hikari.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            hikari.setUsername(url.user());
        }
        if (url.password() != null) {
            hikari.setPassword(url.password());
        }
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(Math.min(2, poolSize));
        hikari.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        hikari.setValidationTimeout(Math.min(CONNECT_TIMEOUT.toMillis(), 2_000));
        hikari.setInitializationFailTimeout(CONNECT_TIMEOUT.toMillis());
        driverProperties(applicationName).forEach((k, v) -> hikari.addDataSourceProperty((String) k, v));
        try {
            return new Database(url, new HikariDataSource(hikari));
        } catch (RuntimeException e) {
            throw new DatabaseUnavailableException("cannot connect to PostgreSQL at " + url.display()
                    + ": " + rootMessage(e) + ". Check that it is running and that the URL is right.", e);
        }
    }

    /** Applies, as the URL's user, the migrations under {@code db/migration} that this database has not seen yet. */
    public static void migrate(DatabaseUrl url) {
        acceptEditedMigrations(url);
        flyway(url).locations("classpath:db/migration").load().migrate();
    }

    /**
     * Migrations edited after release, each with the checksum of its first text and of its text now. V9 asked
     * {@code pg_has_role(..., 'SET')}, which PostgreSQL knows from 16 on, so it failed on 14 and 15; it now asks for
     * 'MEMBER' there, which is what membership meant before 16. A database that applied the first text (on 16 or
     * later, where it ran the same) is told the new checksum, and Flyway's validation passes.
     */
    static final List<EditedMigration> EDITED = List.of(new EditedMigration("9", 17033121, -1792781011));

    record EditedMigration(String version, int firstChecksum, int checksum) {
    }

    private static void acceptEditedMigrations(DatabaseUrl url) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            try (var exists = c.createStatement().executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
                if (!exists.next() || !exists.getBoolean(1)) {
                    return;
                }
            }
            for (EditedMigration m : EDITED) {
                try (var update = c.prepareStatement(
                        "UPDATE flyway_schema_history SET checksum = ? WHERE version = ? AND checksum = ?")) {
                    update.setInt(1, m.checksum());
                    update.setString(2, m.version());
                    update.setInt(3, m.firstChecksum());
                    update.executeUpdate();
                }
            }
        } catch (java.sql.SQLException e) {
            throw new DatabaseUnavailableException("cannot read the migration history at " + url.display() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Applies the test tooling's own migrations ({@code db/faults}), under a history table of their own: only a process
     * started with fault injection calls this, so a production schema never holds the fault switchboard.
     */
    public static void migrateFaultInjection(DatabaseUrl url) {
        flyway(url).locations("classpath:db/faults").table("flyway_fault_injection_history")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DatabaseUrl url) {
        return Flyway.configure().dataSource(url.jdbcUrl(), url.user(), url.password());
    }

    /** Refuses to run as a role that row-level security does not apply to: one forgotten filter would leak a business. */
    private void requireRowLevelSecurity() {
        boolean exempt = jdbi.withHandle(h -> h.createQuery(
                "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user").mapTo(Boolean.class).one());
        if (exempt) {
            close();
            throw new DatabaseUnavailableException("the application role " + APPLICATION_ROLE + " is a superuser or "
                    + "bypasses row-level security; run ALTER ROLE " + APPLICATION_ROLE + " NOSUPERUSER NOBYPASSRLS", null);
        }
    }

    /** The connection pool's own meters ({@code hikaricp_connections_*}: active, idle, pending, timeouts, ...). */
    public void bindPoolMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        dataSource.setMetricRegistry(registry);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseUrl url() {
        return url;
    }

    /** A connection outside the pool, for a session that must stay open (LISTEN). */
    public Connection openDedicatedConnection(String applicationName) throws SQLException {
        Properties props = driverProperties(applicationName);
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    /** True when the database answers a trivial query now. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("SELECT 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** The server's version string, as {@code SHOW server_version} gives it. */
    public String serverVersion() {
        return jdbi.withHandle(h -> h.createQuery("SHOW server_version").mapTo(String.class).one());
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static Properties driverProperties(String applicationName) {
        Properties props = new Properties();
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
        props.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        props.setProperty("tcpKeepAlive", "true");
        return props;
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
