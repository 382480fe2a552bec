package io.steadfast.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real PostgreSQL binaries run from a data directory we own, with durable settings (fsync and synchronous_commit
 * on). When another live Steadfast process already runs PostgreSQL on the same directory, we attach to it instead;
 * when one was left behind by a killed process, we stop it first and start our own.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    public static final String DATABASE = "steadfast";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int port;
    private final boolean owned;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(Path dataDir, int port, boolean owned, io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.dataDir = dataDir;
        this.port = port;
        this.owned = owned;
        this.server = server;
    }

    /** Starts PostgreSQL on {@code dataDir} (initialising it the first time), or attaches to one already serving it. */
    public static EmbeddedPostgres startOrAttach(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir, e);
        }
        Optional<Postmaster> running = Postmaster.read(dataDir).filter(Postmaster::isAlive);
        if (running.isPresent()) {
            if (lockedByAnotherProcess(dataDir)) {
                log.info("Attaching to PostgreSQL already serving {} (pid {}, port {})",
                        dataDir, running.get().pid(), running.get().port());
                EmbeddedPostgres attached = new EmbeddedPostgres(dataDir, running.get().port(), false, null);
                attached.createDatabaseIfMissing();
                return attached;
            }
            log.warn("PostgreSQL pid {} was left running on {} by a process that is gone; stopping it",
                    running.get().pid(), dataDir);
            running.get().stopAndWait(Duration.ofSeconds(30));
        }
        int chosenPort = port == 0 ? freePort() : port;
        EmbeddedPostgres started = new EmbeddedPostgres(dataDir, chosenPort, true, launch(dataDir, chosenPort));
        started.createDatabaseIfMissing();
        return started;
    }

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres launch(Path dataDir, int port) {
        try {
            return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false) // Node stops it last, after the work in flight
                    .setPort(port)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "300")
                    .start();
        } catch (IOException e) {
            throw new DatabaseUnavailableException("cannot start embedded PostgreSQL in " + dataDir + ": "
                    + e.getMessage() + ". Is another program using this directory?", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE + "?user=postgres";
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The process id of the running postmaster, from its {@code postmaster.pid}. */
    public long postmasterPid() {
        return Postmaster.read(dataDir).orElseThrow(() -> new IllegalStateException("PostgreSQL is not running in "
                + dataDir)).pid();
    }

    /** False when another process started this server and we merely connect to it. */
    public boolean owned() {
        return owned;
    }

    /** Stops the server (fast shutdown: open transactions roll back) and starts it again on the same port. */
    public synchronized void restart() {
        requireOwned();
        stopServer();
        server = launch(dataDir, port);
    }

    /** Stops the server; {@link #start()} brings it back on the same port. */
    public synchronized void stop() {
        requireOwned();
        stopServer();
    }

    public synchronized void start() {
        requireOwned();
        if (server == null) {
            server = launch(dataDir, port);
        }
    }

    @Override
    public synchronized void close() {
        if (owned) {
            stopServer();
        }
    }

    private void stopServer() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                log.warn("PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
            server = null;
        }
    }

    private void requireOwned() {
        if (!owned) {
            throw new IllegalStateException("this PostgreSQL belongs to another process");
        }
    }

    private void createDatabaseIfMissing() {
        String adminUrl = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
        try (Connection c = java.sql.DriverManager.getConnection(adminUrl); var s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // created concurrently by another process
                throw new DatabaseUnavailableException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
            }
        }
    }

    private static boolean lockedByAnotherProcess(Path dataDir) {
        Path lockFile = dataDir.resolve("epg-lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first lines of {@code postmaster.pid}: pid, data directory, start time, port. */
    record Postmaster(long pid, int port) {
        static Optional<Postmaster> read(Path dataDir) {
            Path file = dataDir.resolve("postmaster.pid");
            try {
                List<String> lines = Files.readAllLines(file);
                return Optional.of(new Postmaster(Long.parseLong(lines.get(0).trim()), Integer.parseInt(lines.get(3).trim())));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        boolean isAlive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        void stopAndWait(Duration timeout) {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
                long deadline = System.nanoTime() + timeout.toNanos();
                while (isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (isAlive()) {
                throw new IllegalStateException("PostgreSQL pid " + pid + " did not stop within " + timeout);
            }
        }
    }
}
