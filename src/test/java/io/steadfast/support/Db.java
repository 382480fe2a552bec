package io.steadfast.support;

import io.steadfast.db.Database;
import io.steadfast.db.DatabaseUrl;
import java.util.List;
import java.util.Map;

/** Direct reads of a test database, to check what was stored without going through the code under test. */
public final class Db implements AutoCloseable {
    private final Database database;

    public Db(DatabaseUrl url) {
        this.database = Database.connect(url, 4, "steadfast-test-checks");
    }

    public long count(String sql, Object... args) {
        return database.jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                q.bind(i, args[i]);
            }
            return q.mapTo(Long.class).one();
        });
    }

    public List<Map<String, Object>> rows(String sql, Object... args) {
        return database.jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                q.bind(i, args[i]);
            }
            return q.mapToMap().list();
        });
    }

    public void execute(String sql) {
        database.jdbi().useHandle(h -> h.execute(sql));
    }

    public Database database() {
        return database;
    }

    /** Rows the webhooks stored, in any table: everything a rejected request must leave untouched. */
    public long storedRows() {
        return count("SELECT (SELECT count(*) FROM webhook_request) + (SELECT count(*) FROM inbox_event)"
                + " + (SELECT count(*) FROM message) + (SELECT count(*) FROM customer)"
                + " + (SELECT count(*) FROM shop_order) + (SELECT count(*) FROM order_audit)");
    }

    @Override
    public void close() {
        database.close();
    }
}
