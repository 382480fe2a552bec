package io.steadfast.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.config.Config;
import io.steadfast.db.EmbeddedPostgres;
import io.steadfast.simulator.Api;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.steadfast.simulator.StoreServicesSimulator;
import io.steadfast.simulator.TwilioSimulator;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Steadfast deployment the chaos suite owns, so it can hurt it: embedded PostgreSQL in this process, one ingest
 * process and several worker processes, each a real JVM that takes real signals.
 */
public final class LocalCluster implements AutoCloseable {
    /** The production default: the scenarios prove the recovery a deployment gets without tuning. */
    public static final Duration LEASE = Duration.ofMillis(Config.DEFAULT_LEASE_MS);
    /** How long a node waits for the WhatsApp simulator's answer before the message is unknown. */
    public static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(2);
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long a node waits for a shipping quote before it uses the fallback rate. */
    public static final Duration SHIPPING_TIMEOUT = Duration.ofMillis(500);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto");

    private final Path dir;
    private final String mainClass;
    private final EmbeddedPostgres postgres;
    private final String appSecret = secret();
    private final String apiToken = secret();
    private final String shopifySecret = secret();
    private final String jwtSecret = secret() + secret();
    /** The WhatsApp Cloud API every node sends to: it counts the calls each message got. */
    private final WhatsAppCloudSimulator whatsappApi = new WhatsAppCloudSimulator();
    /** The Twilio Messages API for SMS, and an SMTP server (GreenMail) for email: each keeps what it took. */
    private final TwilioSimulator smsApi = new TwilioSimulator();
    private final int smtpPort = freePort();
    private volatile GreenMail smtp = startSmtp(smtpPort);
    /** The shipping rate service and the push receiver the store calls. */
    private final StoreServicesSimulator storeServices = new StoreServicesSimulator();
    private final int port = freePort();
    private final JavaProcess ingest;
    private final List<JavaProcess> workers = new ArrayList<>();
    private final List<JavaProcess> apiNodes = new ArrayList<>();
    private final Api api;
    private final Thread cleanup = new Thread(this::close, "chaos-cluster-cleanup");
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private int started;

    private LocalCluster(Path dir, String mainClass, EmbeddedPostgres postgres) {
        this.dir = dir;
        this.mainClass = mainClass;
        this.postgres = postgres;
        this.ingest = startNode("ingest", Map.of(Config.ROLE, "ingest", Config.PORT, Integer.toString(port),
                Config.HOST, "127.0.0.1", Config.ACK_TIMEOUT_MS, "3000"));
        this.api = new Api(baseUrl(), apiToken);
    }

    /**
     * Starts PostgreSQL in {@code dir}, then the ingest process and {@code workerProcesses} worker processes, each a JVM
     * running {@code mainClass} (the steadfast command line) on this process's class path.
     */
    public static LocalCluster start(Path dir, String mainClass, int workerProcesses) {
        EmbeddedPostgres postgres = EmbeddedPostgres.startOrAttach(dir.resolve("pgdata"), 0);
        LocalCluster cluster = new LocalCluster(dir, mainClass, postgres);
        Runtime.getRuntime().addShutdownHook(cluster.cleanup); // Ctrl-C must not leave processes behind
        try {
            cluster.awaitIngest();
            cluster.addWorkers(workerProcesses);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String appSecret() {
        return appSecret;
    }

    public String shopifySecret() {
        return shopifySecret;
    }

    public String apiToken() {
        return apiToken;
    }

    public Path dir() {
        return dir;
    }

    public List<JavaProcess> workers() {
        return List.copyOf(workers);
    }

    /** A second node serving the API and the live feed (role ingest), for a scenario to kill. */
    public record ApiNode(JavaProcess process, URI baseUrl) {
    }

    public ApiNode startApiNode() {
        int nodePort = freePort();
        JavaProcess p = startNode("api", Map.of(Config.ROLE, "ingest", Config.PORT, Integer.toString(nodePort),
                Config.HOST, "127.0.0.1"));
        apiNodes.add(p);
        ApiNode node = new ApiNode(p, URI.create("http://127.0.0.1:" + nodePort));
        awaitHealthy(node.baseUrl(), p);
        return node;
    }

    /** Starts {@code count} more worker processes and waits until each reports in. */
    public List<JavaProcess> addWorkers(int count) {
        List<JavaProcess> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            added.add(startNode("worker", Map.of(Config.ROLE, "worker")));
        }
        workers.addAll(added);
        awaitReporting(added);
        return added;
    }

    /** Stops worker processes gracefully until {@code count} remain. */
    public void keepWorkers(int count) {
        while (workers.size() > count) {
            JavaProcess w = workers.removeLast();
            w.terminate(Duration.ofSeconds(30));
        }
    }

    /** SIGKILL for one worker process; a replacement starts. Returns the one killed. */
    public JavaProcess killWorker(JavaProcess victim) {
        victim.killHard();
        workers.remove(victim);
        addWorkers(1);
        return victim;
    }

    /** The worker process that holds leases on events right now, if any. */
    public Optional<JavaProcess> workerHoldingLeases() {
        Set<Long> holders = query("""
                SELECT DISTINCT w.pid FROM inbox_event e JOIN inbox_worker w ON w.id = e.lease_owner
                WHERE e.status = 'processing'
                """, rs -> {
            Set<Long> pids = new java.util.HashSet<>();
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
            return pids;
        });
        return workers.stream().filter(w -> holders.contains(w.pid())).findFirst();
    }

    /** How many events the worker threads of process {@code pid} hold under a lease right now. */
    public long eventsLeasedBy(long pid) {
        return query("SELECT count(*) FROM inbox_event e JOIN inbox_worker w ON w.id = e.lease_owner"
                + " WHERE e.status = 'processing' AND w.pid = " + pid, rs -> rs.next() ? rs.getLong(1) : 0L);
    }

    /** Terminates every backend connection of the application; returns how many. */
    public int killConnections() {
        return query("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                """, rs -> rs.next() ? rs.getInt(1) : 0);
    }

    /** Stops PostgreSQL (open transactions roll back) and starts it again on the same port. */
    public void restartDatabase() {
        postgres.restart();
    }

    /**
     * SIGSTOP on the postmaster and every backend: connections stay open and nothing answers, the way a frozen VM or
     * a stalled disk looks to the application.
     */
    public void pauseDatabase() {
        long postmaster = postgres.postmasterPid();
        JavaProcess.signal(postmaster, "STOP");
        backends(postmaster).forEach(pid -> JavaProcess.signal(pid, "STOP"));
    }

    public void resumeDatabase() {
        long postmaster = postgres.postmasterPid();
        backends(postmaster).forEach(pid -> JavaProcess.signal(pid, "CONT"));
        JavaProcess.signal(postmaster, "CONT");
    }

    /** The fencing refusals every worker has counted, from /health/detailed. */
    public long leaseLostTotal() {
        long total = 0;
        for (JsonNode w : api.get("/health/detailed").path("workers")) {
            total += w.path("lease_lost_count").asLong();
        }
        return total;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != cleanup) {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        List<JavaProcess> all = new ArrayList<>(workers);
        all.addAll(apiNodes);
        if (ingest != null) {
            all.add(ingest);
        }
        for (JavaProcess p : all) {
            try {
                p.terminate(Duration.ofSeconds(20));
            } catch (RuntimeException e) {
                p.destroy();
            }
        }
        postgres.close();
        whatsappApi.close();
        smsApi.close();
        smtp.stop();
        storeServices.close();
    }

    public WhatsAppCloudSimulator whatsappApi() {
        return whatsappApi;
    }

    public TwilioSimulator smsApi() {
        return smsApi;
    }

    public GreenMail smtp() {
        return smtp;
    }

    public StoreServicesSimulator storeServices() {
        return storeServices;
    }

    /** The SMTP server goes away: connections to its port are refused until {@link #startSmtp()}. */
    public void stopSmtp() {
        smtp.stop();
    }

    /** A new, empty SMTP server on the same port. */
    public void startSmtp() {
        smtp = startSmtp(smtpPort);
    }

    private static GreenMail startSmtp(int port) {
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    /** Runs a steadfast command (not serve) against this cluster's database; returns its exit status and output. */
    public JavaProcess runCommand(String name, Duration patience, String... args) {
        JavaProcess p = JavaProcess.start(name, dir.resolve("logs").resolve(name + ".log"), mainClass,
                nodeEnvironment(Map.of()), JVM_OPTIONS, args);
        p.waitFor(patience);
        return p;
    }

    private JavaProcess startNode(String role, Map<String, String> settings) {
        String name = role + "-" + (++started);
        return JavaProcess.start(name, dir.resolve("logs").resolve(name + ".log"), mainClass,
                nodeEnvironment(settings), JVM_OPTIONS, "serve");
    }

    private Map<String, String> nodeEnvironment(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(settings);
        env.put(Config.DATABASE_URL, postgres.jdbcUrl());
        env.put(Config.DATA_DIR, dir.resolve("node").toString());
        env.put(Config.WHATSAPP_APP_SECRET, appSecret);
        env.put(Config.WHATSAPP_VERIFY_TOKEN, secret());
        env.put(Config.API_TOKEN, apiToken);
        env.put(Config.SHOPIFY_SECRET, shopifySecret);
        env.put(Config.JWT_SECRET, jwtSecret);
        env.put(Config.WHATSAPP_API_URL, whatsappApi.baseUrl().toString());
        env.put(Config.WHATSAPP_ACCESS_TOKEN, WhatsAppCloudSimulator.TOKEN);
        env.put(Config.SMS_API_URL, smsApi.baseUrl().toString());
        env.put(Config.SMS_ACCOUNT_SID, TwilioSimulator.ACCOUNT_SID);
        env.put(Config.SMS_AUTH_TOKEN, TwilioSimulator.AUTH_TOKEN);
        env.put(Config.SMTP_HOST, "127.0.0.1");
        env.put(Config.SMTP_PORT, Integer.toString(smtpPort));
        env.put(Config.EMAIL_FROM, "orders@store.example");
        env.put(Config.SHIPPING_RATES_URL, storeServices.ratesUrl().toString());
        env.put(Config.SHIPPING_TIMEOUT_MS, Long.toString(SHIPPING_TIMEOUT.toMillis()));
        env.put(Config.SHIPPING_BREAKER_OPEN_SECONDS, "2");
        env.put(Config.PUSH_URL, storeServices.pushUrl().toString());
        env.put(Config.PUBLIC_URL, baseUrl().toString()); // Twilio's callbacks go to the ingest node
        env.put(Config.PROVIDER_TIMEOUT_MS, Long.toString(PROVIDER_TIMEOUT.toMillis()));
        env.put(Config.AUTO_REGISTER_CHANNELS, "false");
        env.put(Config.FAULT_INJECTION, "true");
        env.put(Config.POOL_SIZE, "8");
        env.put(Config.WORKERS, "2");
        env.put(Config.BATCH_SIZE, "20");
        env.put(Config.POLL_MS, "200");
        env.put(Config.RETRY_BACKOFF_MS, "200");
        return env;
    }

    private void awaitIngest() {
        awaitHealthy(baseUrl(), ingest);
    }

    private void awaitHealthy(URI base, JavaProcess node) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                new Api(base, apiToken).get("/health");
                return;
            } catch (Api.ApiException e) {
                if (!node.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(node.name() + " did not start; its log:\n" + tail(node));
                }
                sleep(100);
            }
        }
    }

    private void awaitReporting(List<JavaProcess> processes) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Set<Long> waiting = processes.stream().map(JavaProcess::pid).collect(Collectors.toSet());
        while (!waiting.isEmpty()) {
            for (JsonNode w : api.get("/health/detailed").path("workers")) {
                waiting.remove(w.path("pid").asLong());
            }
            for (JavaProcess p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(p.name() + " exited at start; its log:\n" + tail(p));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker processes " + waiting + " did not report within " + START_TIMEOUT);
            }
            sleep(100);
        }
    }

    private static List<Long> backends(long postmaster) {
        return ProcessHandle.of(postmaster).stream().flatMap(ProcessHandle::descendants).map(ProcessHandle::pid).toList();
    }

    private interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, ResultReader<T> reader) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); var s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return reader.read(rs);
        } catch (SQLException e) {
            throw new IllegalStateException("query on the chaos cluster's database failed: " + e.getMessage(), e);
        }
    }

    private static String tail(JavaProcess p) {
        String out = p.output();
        return out.length() > 4_000 ? out.substring(out.length() - 4_000) : out;
    }

    private static String secret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
