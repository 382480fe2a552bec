package io.steadfast.support;

import io.steadfast.db.DatabaseUrl;
import io.steadfast.node.Node;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A node in the test JVM on a fresh database of its own, for one test class: started before its tests, emptied
 * before each test, stopped after. Use with {@code @RegisterExtension static final TestServer server = ...}.
 */
public final class TestServer implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final Map<String, String> overrides;
    private Node node;
    private Http http;
    private Db db;

    public TestServer() {
        this(Map.of());
    }

    /** The test settings plus {@code overrides} (setting name to value). */
    public TestServer(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        DatabaseUrl url = TestPostgres.freshDatabase();
        Map<String, String> settings = TestNodes.settings(url);
        settings.putAll(overrides);
        node = TestNodes.start(settings);
        http = new Http(node.port());
        db = new Db(url);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        truncate();
    }

    /**
     * Empties every table webhooks fill, so each test starts from nothing. Workers may still be applying the last
     * test's events, and TRUNCATE takes its locks in another order than they do: they are paused first (their batch
     * finished), and a deadlock with anything else is retried.
     */
    public void truncate() {
        node.workers().ifPresent(w -> w.pauseAndSettle(java.time.Duration.ofSeconds(10)));
        try {
            truncateTables();
        } finally {
            node.workers().ifPresent(io.steadfast.inbox.Workers::resume);
        }
    }

    private void truncateTables() {
        for (int attempt = 1; ; attempt++) {
            try {
                db.execute("TRUNCATE message, message_status_report, conversation, customer, shop_order, order_audit, "
                        + "change_log, retention_mark, shopify_reconcile_cursor, channel, inbox_event, webhook_request, "
                        + "api_key, app_user, rate_limit_bucket, outbound_message, idempotency_key, wallet_entry, "
                        + "wallet_hold, wallet, stock_movement, product, cart, cart_item, store_order, store_order_item, "
                        + "order_notification, admin_audit CASCADE");
                db.execute("DELETE FROM business WHERE name <> 'default'");
                return;
            } catch (RuntimeException e) {
                if (attempt == 5 || !String.valueOf(e.getMessage()).contains("deadlock detected")) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        node.close();
        db.close();
    }

    public Node node() {
        return node;
    }

    public Http http() {
        return http;
    }

    public Db db() {
        return db;
    }
}
