package io.steadfast.node;

import io.steadfast.config.Build;
import io.steadfast.config.Config;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadfast serve}: runs until SIGTERM or Ctrl-C, then stops gracefully. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
                "Runs Steadfast: webhooks, the API and workers, by role.",
                "",
                "With no STEADFAST_DATABASE_URL it starts an embedded PostgreSQL whose data is kept",
                "in <data dir>/pgdata across restarts. Secrets that are not set are generated once, printed, and",
                "kept in <data dir>/secrets.properties.",
                "",
                "Every option can also be set with the environment variable shown; the option wins.",
                ""},
        sortOptions = false)
public final class ServeCommand implements Runnable {
    private final Map<String, String> overrides = new HashMap<>();

    @Option(names = "--role", paramLabel = "all|ingest|worker",
            description = "all: webhooks, API and workers (default). ingest: webhooks and API only. "
                    + "worker: workers only, no HTTP. Processes of any role may share one database. [STEADFAST_ROLE]")
    void role(String v) {
        overrides.put(Config.ROLE, v);
    }

    @Option(names = "--port", description = "HTTP port (default 8080; 0 picks a free one). [STEADFAST_PORT]")
    void port(String v) {
        overrides.put(Config.PORT, v);
    }

    @Option(names = "--host", description = "Address to listen on (default 0.0.0.0). [STEADFAST_HOST]")
    void host(String v) {
        overrides.put(Config.HOST, v);
    }

    @Option(names = "--database-url", paramLabel = "URL",
            description = "PostgreSQL >= 14, as jdbc:postgresql://host/db?user=u&password=p or postgres://u:p@host/db. "
                    + "Unset: embedded PostgreSQL. [STEADFAST_DATABASE_URL]")
    void databaseUrl(String v) {
        overrides.put(Config.DATABASE_URL, v);
    }

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where embedded PostgreSQL data and generated secrets live (default ./.steadfast). [STEADFAST_DATA_DIR]")
    void dataDir(String v) {
        overrides.put(Config.DATA_DIR, v);
    }

    @Option(names = "--reports-dir", paramLabel = "DIR",
            description = "Where the dashboard finds the chaos-reports/ and load-reports/ of steadfast chaos and steadfast load "
                    + "(default: the working directory). [STEADFAST_REPORTS_DIR]")
    void reportsDir(String v) {
        overrides.put(Config.REPORTS_DIR, v);
    }

    @Option(names = "--whatsapp-app-secret", paramLabel = "SECRET",
            description = "Meta app secret that signs webhooks (X-Hub-Signature-256). [STEADFAST_WHATSAPP_APP_SECRET]")
    void appSecret(String v) {
        overrides.put(Config.WHATSAPP_APP_SECRET, v);
    }

    @Option(names = "--whatsapp-verify-token", paramLabel = "TOKEN",
            description = "Verify token of the subscription handshake. [STEADFAST_WHATSAPP_VERIFY_TOKEN]")
    void verifyToken(String v) {
        overrides.put(Config.WHATSAPP_VERIFY_TOKEN, v);
    }

    @Option(names = "--api-token", paramLabel = "TOKEN",
            description = "The operator's bearer token for /v1: acts for the default business and creates businesses. "
                    + "[STEADFAST_API_TOKEN]")
    void apiToken(String v) {
        overrides.put(Config.API_TOKEN, v);
    }

    @Option(names = "--jwt-secret", paramLabel = "SECRET",
            description = "Signs the access tokens users sign in for (HMAC-SHA256, at least 32 bytes); every node of a "
                    + "deployment needs the same one. [STEADFAST_JWT_SECRET]")
    void jwtSecret(String v) {
        overrides.put(Config.JWT_SECRET, v);
    }

    @Option(names = "--token-ttl-minutes", paramLabel = "MINUTES",
            description = "How long an access token is valid (default 60). [STEADFAST_TOKEN_TTL_MINUTES]")
    void tokenTtl(String v) {
        overrides.put(Config.TOKEN_TTL_MINUTES, v);
    }

    @Option(names = "--whatsapp-access-token", paramLabel = "TOKEN",
            description = "Access token of the WhatsApp Cloud API, for sending; without it WhatsApp cannot send. "
                    + "[STEADFAST_WHATSAPP_ACCESS_TOKEN]")
    void whatsappAccessToken(String v) {
        overrides.put(Config.WHATSAPP_ACCESS_TOKEN, v);
    }

    @Option(names = "--whatsapp-api-url", paramLabel = "URL",
            description = "Base URL of the WhatsApp Cloud API (default " + Config.DEFAULT_WHATSAPP_API_URL + "). "
                    + "[STEADFAST_WHATSAPP_API_URL]")
    void whatsappApiUrl(String v) {
        overrides.put(Config.WHATSAPP_API_URL, v);
    }

    @Option(names = "--provider-timeout-ms", paramLabel = "MS",
            description = "Longest wait for a provider's answer to a send; after it the message is unknown and is not sent "
                    + "again (default 10000). [STEADFAST_PROVIDER_TIMEOUT_MS]")
    void providerTimeout(String v) {
        overrides.put(Config.PROVIDER_TIMEOUT_MS, v);
    }

    @Option(names = "--api-rate-limit", paramLabel = "N/UNIT",
            description = "Requests each API key or user may make, such as 1000/h or 600/min, or off (default 6000/min); "
                    + "a business may have its own (PATCH /v1/businesses/{id}). [STEADFAST_API_RATE_LIMIT]")
    void apiRateLimit(String v) {
        overrides.put(Config.API_RATE_LIMIT, v);
    }

    @Option(names = "--shopify-secret", paramLabel = "SECRET",
            description = "Shopify app client secret that signs webhooks (X-Shopify-Hmac-Sha256). [STEADFAST_SHOPIFY_SECRET]")
    void shopifySecret(String v) {
        overrides.put(Config.SHOPIFY_SECRET, v);
    }

    @Option(names = "--shopify-reconcile-minutes", paramLabel = "N",
            description = "Reconcile STEADFAST_SHOPIFY_SHOP against the Admin API every N minutes (default 0: off); needs "
                    + "STEADFAST_SHOPIFY_ADMIN_TOKEN, and STEADFAST_SHOPIFY_ADMIN_URL to point elsewhere than the shop. "
                    + "[STEADFAST_SHOPIFY_RECONCILE_MINUTES]")
    void reconcileMinutes(String v) {
        overrides.put(Config.SHOPIFY_RECONCILE_MINUTES, v);
    }

    @Option(names = "--auto-register-channels", paramLabel = "true|false",
            description = "Register an unknown phone_number_id to the default business (default true); when false, "
                    + "its events are dead-lettered until the channel is registered. [STEADFAST_AUTO_REGISTER_CHANNELS]")
    void autoRegister(String v) {
        overrides.put(Config.AUTO_REGISTER_CHANNELS, v);
    }

    @Option(names = "--workers", paramLabel = "N", description = "Worker threads in this process (default: one per core, at least 2). [STEADFAST_WORKERS]")
    void workers(String v) {
        overrides.put(Config.WORKERS, v);
    }

    @Option(names = "--batch-size", paramLabel = "N", description = "Events a worker claims at once (default 200). [STEADFAST_BATCH_SIZE]")
    void batchSize(String v) {
        overrides.put(Config.BATCH_SIZE, v);
    }

    @Option(names = "--lease-ms", paramLabel = "MS",
            description = "How long a claim lasts unless its worker renews it; a worker that dies loses its events to another after this (default 8000). [STEADFAST_LEASE_MS]")
    void lease(String v) {
        overrides.put(Config.LEASE_MS, v);
    }

    @Option(names = "--max-attempts", paramLabel = "N",
            description = "Attempts before an event goes to the dead letters (default 10). [STEADFAST_MAX_ATTEMPTS]")
    void maxAttempts(String v) {
        overrides.put(Config.MAX_ATTEMPTS, v);
    }

    @Option(names = "--retry-backoff-ms", paramLabel = "MS",
            description = "Wait before the first retry; later ones back off exponentially with jitter (default 1000). [STEADFAST_RETRY_BACKOFF_MS]")
    void retryBackoff(String v) {
        overrides.put(Config.RETRY_BACKOFF_MS, v);
    }

    @Option(names = "--poll-ms", paramLabel = "MS",
            description = "How often idle workers look for work if no notification arrives (default 1000). [STEADFAST_POLL_MS]")
    void poll(String v) {
        overrides.put(Config.POLL_MS, v);
    }

    @Option(names = "--ack-timeout-ms", paramLabel = "MS",
            description = "Longest a webhook waits for its commit before answering 503 (default 5000). [STEADFAST_ACK_TIMEOUT_MS]")
    void ackTimeout(String v) {
        overrides.put(Config.ACK_TIMEOUT_MS, v);
    }

    @Option(names = "--retention-days", paramLabel = "DAYS",
            description = "How long done events and their raw requests are kept, at least 7 (default 30). [STEADFAST_RETENTION_DAYS]")
    void retentionDays(String v) {
        overrides.put(Config.RETENTION_DAYS, v);
    }

    @Option(names = "--change-log-retention-hours", paramLabel = "HOURS",
            description = "How far back a live client may resume with its cursor (default 24). [STEADFAST_CHANGE_LOG_RETENTION_HOURS]")
    void changeLogRetention(String v) {
        overrides.put(Config.CHANGE_LOG_RETENTION_HOURS, v);
    }

    @Option(names = "--audit-retention-days", paramLabel = "DAYS",
            description = "How long order audit rows are kept; 0 keeps them for ever (default 0). [STEADFAST_AUDIT_RETENTION_DAYS]")
    void auditRetention(String v) {
        overrides.put(Config.AUDIT_RETENTION_DAYS, v);
    }

    @Option(names = "--max-body-bytes", paramLabel = "N",
            description = "Largest webhook body accepted; larger ones get 413 (default 1048576). [STEADFAST_MAX_BODY_BYTES]")
    void maxBody(String v) {
        overrides.put(Config.MAX_BODY_BYTES, v);
    }

    @Option(names = "--pool-size", paramLabel = "N", description = "Database connections (default 16). [STEADFAST_POOL_SIZE]")
    void poolSize(String v) {
        overrides.put(Config.POOL_SIZE, v);
    }

    @Option(names = "--fault-injection", paramLabel = "true|false",
            description = "Let the chaos suite switch faults on at run time through /v1/faults (default false). "
                    + "For test deployments only. [STEADFAST_FAULT_INJECTION]")
    void faultInjection(String v) {
        overrides.put(Config.FAULT_INJECTION, v);
    }

    @Override
    public void run() {
        Map<String, String> values = new HashMap<>(System.getenv());
        values.putAll(overrides);
        Config config = Config.load(values);
        Node node = Node.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("steadfast: stopping (finishing in-flight requests and batches)...");
            node.close();
            System.out.println("steadfast: stopped");
            stopped.countDown();
        }, "steadfast-shutdown"));
        System.out.println(Banner.render(node, Build.version()));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
