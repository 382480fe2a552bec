package io.steadfast.node;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steadfast.config.Config;
import io.steadfast.db.Database;
import io.steadfast.db.EmbeddedPostgres;
import io.steadfast.db.Storage;
import io.steadfast.fault.DelayedHandler;
import io.steadfast.fault.FaultSwitchboard;
import io.steadfast.fault.Faults;
import io.steadfast.http.HttpServer;
import io.steadfast.web.Reports;
import io.steadfast.inbox.Appender;
import io.steadfast.inbox.GiveWay;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxRetention;
import io.steadfast.inbox.Wakeup;
import io.steadfast.inbox.WorkerSettings;
import io.steadfast.inbox.Workers;
import io.steadfast.messaging.Channels;
import io.steadfast.orders.AuditRetention;
import io.steadfast.outbound.GuardedProvider;
import io.steadfast.outbound.Outbox;
import io.steadfast.outbound.Provider;
import io.steadfast.outbound.IdempotencyKeyRetention;
import io.steadfast.commerce.Carts;
import io.steadfast.commerce.ExpiryHandler;
import io.steadfast.commerce.OrderNotifications;
import io.steadfast.commerce.ShippingQuotes;
import io.steadfast.commerce.Wallets;
import io.steadfast.outbound.LossCheck;
import io.steadfast.outbound.SendHandler;
import io.steadfast.outbound.SmtpMail;
import io.steadfast.outbound.TwilioMessagesApi;
import io.steadfast.sms.Sms;
import io.steadfast.sms.SmsMessageHandler;
import io.steadfast.sms.SmsStatusHandler;
import io.steadfast.sms.SmsWebhook;
import java.net.URI;
import java.util.function.Supplier;
import io.steadfast.outbound.WhatsAppCloudApi;
import io.steadfast.ratelimit.BucketRetention;
import io.steadfast.ratelimit.RateLimiter;
import io.steadfast.realtime.ChangeLogRetention;
import io.steadfast.retention.Pruner;
import io.steadfast.retention.Retention;
import io.steadfast.shopify.OrderHandler;
import io.steadfast.shopify.ReconcileJob;
import io.steadfast.shopify.Shopify;
import io.steadfast.shopify.ShopifyWebhook;
import io.steadfast.tenant.Tokens;
import io.steadfast.whatsapp.MessageHandler;
import io.steadfast.whatsapp.StatusHandler;
import io.steadfast.whatsapp.WhatsApp;
import io.steadfast.whatsapp.WhatsAppWebhook;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Steadfast process: its database connection and, by role, the HTTP server and the workers. */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /** Connections of the rate limiter: requests of one credential on one node share a call (batching). */
    static final int RATE_LIMIT_POOL = 4;

    private final Config config;
    private final Optional<EmbeddedPostgres> embedded;
    private final Database database;
    private final Wakeup wakeup = new Wakeup();
    private final GiveWay giveWay = new GiveWay();
    private final Faults faults = new Faults();
    private FaultSwitchboard switchboard;
    private Appender appender;
    /** The rate limiter's own connections: they commit without waiting for the disk (see {@link RateLimiter}). */
    private Database rateLimitBuckets;
    private Workers workers;
    private HttpServer http;
    private Pruner pruner;
    private ReconcileJob reconcileJob;
    private java.util.concurrent.ScheduledExecutorService lossChecks;

    /** Extra handlers and switches for tests and benchmarks; production uses {@link #defaults()}. */
    public record Options(Clock clock, Map<String, EventHandler> extraHandlers, boolean benchRoutes) {
        public static Options defaults() {
            return new Options(Clock.systemUTC(), Map.of(), false);
        }
    }

    private Node(Config config, Optional<EmbeddedPostgres> embedded, Database database) {
        this.config = config;
        this.embedded = embedded;
        this.database = database;
    }

    public static Node start(Config config) {
        return start(config, Options.defaults());
    }

    public static Node start(Config config, Options options) {
        Storage storage = Storage.open(config, "steadfast-" + config.role());
        Node node = new Node(config, storage.embedded(), storage.database());
        node.startParts(options);
        return node;
    }

    private void startParts(Options options) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        database.bindPoolMetrics(metrics);
        wakeup.listenTo(database);
        if (config.faultInjection()) {
            switchboard = new FaultSwitchboard(database.jdbi());
            switchboard.feed(faults);
            log.warn("Fault injection is on: /v1/faults can make this node fail on purpose. Never in production.");
        }
        Map<String, Provider> providers = providers(config.providers(), this::publicUrl);
        OrderNotifications.Settings notifications = notifications(config);
        if (config.role().runsWorkers()) {
            Map<String, EventHandler> handlers = new HashMap<>();
            handlers.put(WhatsApp.MESSAGE_EVENT, new MessageHandler(config.autoRegisterChannels()));
            handlers.put(WhatsApp.STATUS_EVENT, new StatusHandler(config.autoRegisterChannels()));
            handlers.put(Shopify.ORDER_EVENT, new OrderHandler(config.autoRegisterChannels()));
            handlers.put(Sms.MESSAGE_EVENT, new SmsMessageHandler(config.autoRegisterChannels()));
            handlers.put(Sms.STATUS_EVENT, new SmsStatusHandler());
            handlers.put(Outbox.SEND_EVENT, new SendHandler(database.jdbi(), providers));
            LossCheck lossCheck = new LossCheck(providers, config.providers().statusDeadline());
            handlers.put(LossCheck.EVENT, lossCheck);
            handlers.put(Wallets.HOLD_EXPIRY_EVENT, ExpiryHandler.holds());
            handlers.put(Carts.EXPIRY_EVENT, ExpiryHandler.carts());
            OrderNotifications notifier = new OrderNotifications(database.jdbi(), notifications);
            handlers.put(OrderNotifications.EMAIL_EVENT, notifier);
            handlers.put(OrderNotifications.PUSH_EVENT, notifier);
            handlers.putAll(options.extraHandlers());
            if (switchboard != null) {
                handlers.replaceAll((type, handler) -> new DelayedHandler(handler, faults));
            }
            WorkerSettings settings = new WorkerSettings(config.batchSize(), config.lease(), config.maxAttempts(),
                    config.pollInterval(), config.retryBackoff());
            workers = new Workers(config.workers(), database.jdbi(), handlers, settings, options.clock(), wakeup,
                    config.workersGiveWay() ? giveWay : new GiveWay(), metrics); // one nobody feeds never pauses
            pruner = new Pruner(database.jdbi(), pruningRules(config.retention()), options.clock()).start();
            lossChecks = lossCheck.schedule(database.jdbi(), options.clock());
        }
        if (config.role().servesHttp()) {
            appender = new Appender(database.jdbi(), config.ackTimeout(), metrics, wakeup::signal, giveWay);
            rateLimitBuckets = Database.connectAsApplication(database.url(), RATE_LIMIT_POOL, "steadfast-rate-limits",
                    "synchronous_commit = off");
            WhatsAppWebhook whatsapp = new WhatsAppWebhook(config.whatsappAppSecret(), config.whatsappVerifyToken(),
                    appender, config.maxBodyBytes(), options.clock());
            ShopifyWebhook shopify = new ShopifyWebhook(config.shopifySecret(), appender, config.maxBodyBytes(),
                    options.clock());
            SmsWebhook sms = new SmsWebhook(config.providers().smsAuthToken(), this::publicUrl, appender,
                    config.maxBodyBytes(), options.clock());
            var parts = new HttpServer.Parts(database, whatsapp, shopify, sms, Optional.ofNullable(workers),
                    Channels.defaultBusinessId(database.jdbi()),
                    new Tokens(config.jwtSecret(), config.tokenLifetime(), options.clock()),
                    new RateLimiter(rateLimitBuckets.dataSource(), database.jdbi(), config.apiRateLimit(), options.clock()),
                    new Outbox(database.jdbi(), providers.keySet(), defaultSenders(config.providers())),
                    metrics, faults, Optional.ofNullable(switchboard),
                    settings(), options.benchRoutes(), shipping(config.store(), metrics), notifications,
                    Reports.under(config.reportsDir()));
            http = HttpServer.start(config.host(), config.port(), config.maxBodyBytes(), config.apiToken(), parts,
                    options.clock());
            ReconcileJob.Meters reconcileMeters = ReconcileJob.Meters.register(metrics);
            if (config.shopifyReconciliation().enabled()) {
                reconcileJob = new ReconcileJob(config.shopifyReconciliation(), database.jdbi(), appender, options.clock(),
                        reconcileMeters);
            }
        }
    }

    /** The providers outbound messages can go to: those this deployment has credentials for. */
    static Map<String, Provider> providers(Config.Providers p, Supplier<URI> publicUrl) {
        Map<String, Provider> providers = new HashMap<>();
        p.whatsappAccessToken().ifPresent(token -> providers.put(Channels.WHATSAPP,
                new GuardedProvider(Channels.WHATSAPP, new WhatsAppCloudApi(p.whatsappApiUrl(), token, p.timeout()))));
        if (p.smsAccountSid().isPresent() && p.smsAuthToken().isPresent()) {
            providers.put(Channels.SMS, new GuardedProvider(Channels.SMS, new TwilioMessagesApi(p.smsApiUrl(),
                    p.smsAccountSid().get(), p.smsAuthToken().get(), publicUrl, p.timeout())));
        }
        p.smtp().ifPresent(smtp -> providers.put(Channels.EMAIL, new GuardedProvider(Channels.EMAIL,
                new SmtpMail(smtp.host(), smtp.port(), smtp.username(), smtp.password(), p.timeout()))));
        return providers;
    }

    private static OrderNotifications.Settings notifications(Config config) {
        Config.Providers p = config.providers();
        return new OrderNotifications.Settings(p.smtp().map(smtp -> new SmtpMail(smtp.host(), smtp.port(),
                smtp.username(), smtp.password(), p.timeout())), p.emailFrom(), config.store().pushUrl(), p.timeout());
    }

    private static ShippingQuotes shipping(Config.Store store, PrometheusMeterRegistry metrics) {
        ShippingQuotes quotes = new ShippingQuotes(new ShippingQuotes.Settings(store.shippingRatesUrl(),
                store.shippingTimeout(), store.fallbackRate(), store.maxRate(), store.breakerOpen()));
        io.micrometer.core.instrument.Gauge.builder("steadfast_shipping_breaker_open", quotes,
                        q -> q.breakerState().equals("CLOSED") ? 0 : 1)
                .description("1 while the shipping rate service's circuit breaker is open or half open").register(metrics);
        return quotes;
    }

    private static Map<String, String> defaultSenders(Config.Providers p) {
        Map<String, String> senders = new HashMap<>();
        p.smsFrom().ifPresent(from -> senders.put(Channels.SMS, from));
        p.emailFrom().ifPresent(from -> senders.put(Channels.EMAIL, from));
        return senders;
    }

    /** The base URL providers reach this deployment at: STEADFAST_PUBLIC_URL, else this node on localhost. */
    public URI publicUrl() {
        return config.providers().publicUrl().orElseGet(() -> URI.create("http://localhost:"
                + (http == null ? config.port() : http.port())));
    }

    /** What the worker processes prune, and after how long. */
    public static List<Pruner.Rule> pruningRules(Retention retention) {
        List<Pruner.Rule> rules = new java.util.ArrayList<>(List.of(
                new Pruner.Rule(new InboxRetention(), retention.events()),
                new Pruner.Rule(new ChangeLogRetention(), retention.changeLog()),
                new Pruner.Rule(new BucketRetention(), java.time.Duration.ZERO), // each bucket says when it expires
                new Pruner.Rule(new IdempotencyKeyRetention(), retention.idempotencyKeys())));
        retention.audit().ifPresent(keep -> rules.add(new Pruner.Rule(new AuditRetention(), keep)));
        return rules;
    }

    /** The settings /health/detailed shows, so that a client (the chaos suite) knows what this deployment does. */
    private Map<String, Object> settings() {
        return Map.of("role", config.role().toString(),
                "auto_register_channels", config.autoRegisterChannels(),
                "fault_injection", config.faultInjection(),
                "lease_ms", config.lease().toMillis(),
                "max_attempts", config.maxAttempts());
    }

    /** The HTTP server; absent on a worker-only node. */
    public Optional<HttpServer> http() {
        return Optional.ofNullable(http);
    }

    public Config config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public Optional<EmbeddedPostgres> embeddedPostgres() {
        return embedded;
    }

    public Optional<Workers> workers() {
        return Optional.ofNullable(workers);
    }

    public Faults faults() {
        return faults;
    }

    /** The port HTTP listens on; 0 when this role serves no HTTP. */
    public int port() {
        return http == null ? 0 : http.port();
    }

    /**
     * Stops in dependency order: no new requests (those in flight finish), pending commits drain, workers finish
     * their batch and give back what they did not start, then the database goes.
     */
    @Override
    public void close() {
        closeQuietly(reconcileJob);
        closeQuietly(http);
        closeQuietly(appender);
        closeQuietly(pruner);
        if (lossChecks != null) {
            lossChecks.shutdownNow();
        }
        closeQuietly(workers);
        closeQuietly(switchboard);
        closeQuietly(wakeup);
        closeQuietly(rateLimitBuckets);
        closeQuietly(database);
        embedded.ifPresent(Node::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable part) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception e) {
            log.warn("{} did not stop cleanly: {}", part.getClass().getSimpleName(), e.toString());
        }
    }
}
