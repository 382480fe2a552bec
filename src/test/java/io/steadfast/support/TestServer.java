package io.steadfast.support;

import io.steadfast.Node;
import io.steadfast.db.DatabaseUrl;
import java.util.Map;

/** A node in this JVM on its own fresh database, with an HTTP client for it and direct reads of its tables. */
public final class TestServer implements AutoCloseable {
    public final DatabaseUrl url;
    public final Node node;
    public final Http http;
    public final Db db;

    private TestServer(DatabaseUrl url, Node node) {
        this.url = url;
        this.node = node;
        this.http = new Http(node.port());
        this.db = new Db(url);
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** Starts with the test settings plus {@code overrides} (setting name to value). */
    public static TestServer start(Map<String, String> overrides) {
        DatabaseUrl url = TestPostgres.freshDatabase();
        Map<String, String> settings = TestNodes.settings(url);
        settings.putAll(overrides);
        return new TestServer(url, TestNodes.start(settings));
    }

    /** Empties every table webhooks fill, so each test starts from nothing. */
    public void truncate() {
        db.execute("TRUNCATE message, message_status_report, conversation, customer, channel, inbox_event, "
                + "webhook_request CASCADE");
    }

    @Override
    public void close() {
        node.close();
        db.close();
    }
}
