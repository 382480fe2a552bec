package io.steadfast.http;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinLogger;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steadfast.db.Database;
import io.steadfast.fault.FaultSwitchboard;
import io.steadfast.fault.Faults;
import io.steadfast.inbox.DeadLetters;
import io.steadfast.inbox.InboxStats;
import io.steadfast.inbox.PartitionEvents;
import io.steadfast.inbox.Workers;
import io.steadfast.json.Json;
import io.steadfast.realtime.SyncHub;
import io.steadfast.outbound.OutboundMessages;
import io.steadfast.outbound.Outbox;
import io.steadfast.ratelimit.RateLimiter;
import io.steadfast.commerce.Carts;
import io.steadfast.commerce.OrderNotifications;
import io.steadfast.commerce.Orders;
import io.steadfast.commerce.ProductAdmin;
import io.steadfast.commerce.Products;
import io.steadfast.commerce.ShippingQuotes;
import io.steadfast.commerce.Wallets;
import io.steadfast.shopify.ShopifyWebhook;
import io.steadfast.sms.SmsWebhook;
import io.steadfast.outbound.SmsCallbacks;
import io.steadfast.tenant.ApiKeys;
import io.steadfast.tenant.Businesses;
import io.steadfast.tenant.Passwords;
import io.steadfast.tenant.Tokens;
import io.steadfast.tenant.Users;
import io.steadfast.web.Dashboard;
import io.steadfast.web.HealthHistory;
import io.steadfast.web.Reports;
import io.steadfast.whatsapp.NotificationParser;
import io.steadfast.whatsapp.WhatsApp;
import io.steadfast.whatsapp.WhatsAppWebhook;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.jdbi.v3.core.Jdbi;

/** The Javalin application: webhooks, the API (each request for one business), health and metrics, errors as JSON. */
public final class HttpServer implements AutoCloseable {
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** Connections the kernel may queue before we accept them: providers open many at once in a burst. */
    public static final int ACCEPT_QUEUE = 4096;
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final Javalin app;
    private final SyncHub hub;
    private final HealthHistory history;
    private final List<Route> routes;
    private final Optional<BenchRoutes> bench;

    private HttpServer(Javalin app, SyncHub hub, HealthHistory history, List<Route> routes,
                       Optional<BenchRoutes> bench) {
        this.app = app;
        this.hub = hub;
        this.history = history;
        this.routes = List.copyOf(routes);
        this.bench = bench;
    }

    /** A registered endpoint: an HTTP method (or {@code WS}) and its path pattern. */
    public record Route(String method, String path) {
    }

    /** What the server exposes; each part is built by the process that owns it. */
    public record Parts(Database database, WhatsAppWebhook whatsapp, ShopifyWebhook shopify, SmsWebhook sms,
                        Optional<Workers> workers,
                        long defaultBusinessId, Tokens tokens, RateLimiter rateLimiter, Outbox outbox,
                        PrometheusMeterRegistry metrics, Faults faults, Optional<FaultSwitchboard> switchboard,
                        Map<String, Object> settings, boolean benchRoutes, ShippingQuotes shipping,
                        OrderNotifications.Settings notifications, Reports reports) {
    }

    public static HttpServer start(String host, int port, int maxBodyBytes, String apiToken, Parts parts, Clock clock) {
        JavalinLogger.startupInfo = false;
        Jdbi jdbi = parts.database().jdbi();
        ApiKeys keys = new ApiKeys(jdbi);
        Authentication auth = new Authentication(apiToken, parts.defaultBusinessId(), keys, parts.tokens());
        ApiRateLimits limits = new ApiRateLimits(parts.rateLimiter());
        TenantsApi tenants = new TenantsApi(new Businesses(jdbi), keys, new Users(jdbi, new Passwords()), parts.tokens(),
                limits);
        MessagingApi messaging = new MessagingApi(jdbi, clock);
        OutboundApi outbound = new OutboundApi(parts.outbox(), new OutboundMessages(jdbi));
        OrdersApi orders = new OrdersApi(jdbi);
        WalletsApi wallets = new WalletsApi(new Wallets(jdbi));
        ProductsApi products = new ProductsApi(new Products(jdbi), new ProductAdmin(jdbi));
        StoreApi store = new StoreApi(jdbi, new Carts(jdbi), new Orders(jdbi, parts.shipping(), parts.notifications(),
                parts.faults()));
        SyncApi sync = new SyncApi(jdbi, auth, parts.tokens());
        InboxApi inbox = new InboxApi(new DeadLetters(parts.database().jdbi()),
                new PartitionEvents(parts.database().jdbi()), clock,
                Map.of(WhatsApp.SOURCE, NotificationParser::payloadOf));
        HealthApi health = new HealthApi(parts.database(), parts.workers(), parts.metrics(), clock, parts.settings(), auth);
        FaultsApi faultsApi = new FaultsApi(parts.switchboard());
        HealthHistory history = new HealthHistory(new InboxStats(jdbi), clock);
        DashboardApi dashboard = new DashboardApi(history, parts.reports());
        Optional<BenchRoutes> bench = parts.benchRoutes()
                ? Optional.of(new BenchRoutes(parts.database(), auth, parts.rateLimiter())) : Optional.empty();
        List<Route> registered = new java.util.concurrent.CopyOnWriteArrayList<>();
        RequestMetrics requestMetrics = new RequestMetrics(parts.metrics());
        WebhookIntake intake = new WebhookIntake(parts.whatsapp(),
                parts.switchboard().isPresent() ? Optional.of(parts.faults()) : Optional.empty(), requestMetrics);
        registered.add(new Route("POST", WebhookIntake.PATH));
        Javalin app = Javalin.create(config -> {
            config.events.handlerAdded(meta -> registered.add(new Route(meta.getHttpMethod().name(), meta.getPath())));
            config.events.wsHandlerAdded(meta -> registered.add(new Route("WS", meta.getPath())));
            config.startup.showJavalinBanner = false;
            config.requestLogger.http(requestMetrics);
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = maxBodyBytes;
            config.http.prefer405over404 = true;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
            Dashboard.serve(config);
            config.jetty.addConnector((server, httpConfig) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                connector.setHost(host);
                connector.setPort(port);
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                return connector;
            });
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(STOP_TIMEOUT.toMillis());
                server.insertHandler(intake);
                server.insertHandler(new GracefulHandler());
            });
            var routes = config.routes;
            ApiErrors.register(routes, maxBodyBytes);
            routes.before("/v1/*", auth::check);
            routes.before("/v1/*", limits::check);
            if (parts.switchboard().isPresent()) { // fault hooks only where fault injection is on
                FaultHooks.register(routes, parts.faults());
            }
            routes.get("/webhooks/whatsapp", parts.whatsapp()::verify);
            routes.post("/webhooks/shopify", parts.shopify()::receive);
            routes.post(SmsCallbacks.PATH, parts.sms()::receive);
            bench.ifPresent(b -> b.register(routes));
            tenants.register(routes);
            messaging.register(routes);
            outbound.register(routes);
            orders.register(routes);
            wallets.register(routes);
            products.register(routes);
            store.register(routes);
            sync.register(routes);
            inbox.register(routes);
            health.register(routes);
            faultsApi.register(routes);
            dashboard.register(routes);
        });
        SyncHub hub = new SyncHub(parts.database(), sync::render);
        sync.attach(hub);
        app.start();
        return new HttpServer(app, hub, history, registered, bench);
    }

    /** Every endpoint registered, filters included, in registration order. */
    public List<Route> routes() {
        return routes;
    }

    public int port() {
        return app.port();
    }

    /** Stops taking requests and lets those in flight finish (up to {@link #STOP_TIMEOUT}). */
    @Override
    public void close() {
        app.stop();
        hub.close();
        history.close();
        bench.ifPresent(BenchRoutes::close);
    }
}
