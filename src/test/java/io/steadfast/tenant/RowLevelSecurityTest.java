package io.steadfast.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.db.BusinessScope;
import io.steadfast.db.Database;
import io.steadfast.db.DatabaseUrl;
import io.steadfast.support.Db;
import io.steadfast.support.TestPostgres;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The database itself keeps businesses apart: the application's role sees only the businesses it acts for. */
class RowLevelSecurityTest {
    static DatabaseUrl url;
    static Db owner;
    static Database app;
    static long a;
    static long b;

    @BeforeAll
    static void seedTwoBusinesses() {
        url = TestPostgres.freshDatabase();
        owner = new Db(url);
        app = Database.connectAsApplication(url, 2, "rls-test");
        a = owner.count("INSERT INTO business (name) VALUES ('a') RETURNING id");
        b = owner.count("INSERT INTO business (name) VALUES ('b') RETURNING id");
        for (long business : List.of(a, b)) {
            owner.execute("""
                    INSERT INTO channel (business_id, kind, account_id) VALUES (%1$d, 'whatsapp', 'phone-%1$d');
                    INSERT INTO customer (business_id, wa_id) VALUES (%1$d, 'customer-%1$d');
                    INSERT INTO conversation (business_id, customer_id, channel_id, last_message_at)
                        SELECT %1$d, cu.id, ch.id, now() FROM customer cu, channel ch
                        WHERE cu.business_id = %1$d AND ch.business_id = %1$d;
                    INSERT INTO message (business_id, conversation_id, external_id, direction, type, raw, status,
                                         status_rank, provider_timestamp, arrival_seq)
                        SELECT %1$d, id, 'wamid-%1$d', 'inbound', 'text', '{}', 'received', 0, now(), 1
                        FROM conversation WHERE business_id = %1$d;
                    INSERT INTO shop_order (business_id, shopify_order_id, shop_domain, currency, total_price,
                                            line_items, placed_at, last_external_updated_at, version, last_inbox_event_id)
                        VALUES (%1$d, %1$d, 'shop-%1$d', 'USD', 1, '[]', now(), now(), 1, 1);
                    INSERT INTO webhook_request (id, source, received_at, headers, body)
                        VALUES (gen_random_uuid(), 'whatsapp', now(), '{}', ''::bytea);
                    INSERT INTO inbox_event (source, partition_key, dedup_key, event_type, payload, request_id,
                                             received_at, next_attempt_at)
                        SELECT 'whatsapp', 'phone-%1$d', 'event-%1$d', 'whatsapp.message', '{}', id, now(), now()
                        FROM webhook_request LIMIT 1;
                    """.formatted(business));
        }
    }

    @AfterAll
    static void close() {
        app.close();
        owner.close();
    }

    @Test
    void the_application_runs_as_a_role_that_is_neither_superuser_nor_exempt_from_row_level_security() {
        Map<String, Object> role = app.jdbi().withHandle(h -> h.createQuery("""
                SELECT current_user AS name, rolsuper AS superuser, rolbypassrls AS bypass, current_setting('is_superuser') AS is_superuser
                FROM pg_roles WHERE rolname = current_user
                """).mapToMap().one());
        assertThat(role).containsEntry("name", Database.APPLICATION_ROLE).containsEntry("superuser", false)
                .containsEntry("bypass", false).containsEntry("is_superuser", "off");
    }

    @Test
    void every_table_with_a_business_id_has_row_level_security_on() {
        List<String> unguarded = owner.rows("""
                SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                WHERE a.attname = 'business_id' AND c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
                  AND NOT c.relrowsecurity
                """).stream().map(r -> (String) r.get("relname")).toList();
        assertThat(unguarded).isEmpty();
    }

    @Test
    void a_transaction_that_acts_for_no_business_sees_no_rows() {
        for (String table : List.of("customer", "conversation", "message", "shop_order", "business_inbox_event")) {
            String underlying = table.equals("business_inbox_event") ? "inbox_event" : table;
            assertThat(owner.count("SELECT count(*) FROM " + underlying)).as("rows exist in " + underlying).isPositive();
            long seen = app.jdbi().inTransaction(h -> h.createQuery("SELECT count(*) FROM " + table)
                    .mapTo(Long.class).one());
            assertThat(seen).as(table).isZero();
        }
    }

    @Test
    void a_query_written_without_a_business_filter_returns_only_the_current_business_rows() {
        List<String> messages = BusinessScope.inBusiness(app.jdbi(), a,
                h -> h.createQuery("SELECT external_id FROM message").mapTo(String.class).list());
        List<Long> orders = BusinessScope.inBusiness(app.jdbi(), b,
                h -> h.createQuery("SELECT shopify_order_id FROM shop_order").mapTo(Long.class).list());
        List<String> events = BusinessScope.inBusiness(app.jdbi(), a,
                h -> h.createQuery("SELECT dedup_key FROM business_inbox_event").mapTo(String.class).list());

        assertThat(messages).containsExactly("wamid-" + a);
        assertThat(orders).containsExactly(b);
        assertThat(events).containsExactly("event-" + a);
    }

    @Test
    void a_business_cannot_write_another_business_rows_nor_change_them() {
        assertThatThrownBy(() -> BusinessScope.inBusiness(app.jdbi(), a, h -> h.execute(
                "INSERT INTO customer (business_id, wa_id) VALUES (?, 'planted')", b)))
                .hasMessageContaining("row-level security");
        int updated = BusinessScope.inBusiness(app.jdbi(), a, h -> h.execute(
                "UPDATE shop_order SET total_price = 0 WHERE business_id = ?", b));
        int deleted = BusinessScope.inBusiness(app.jdbi(), a, h -> h.execute("DELETE FROM message"));

        assertThat(updated).isZero();
        assertThat(deleted).isEqualTo(1);
        assertThat(owner.count("SELECT count(*) FROM message WHERE business_id = ?", b)).isEqualTo(1);
        assertThat(owner.count("SELECT total_price FROM shop_order WHERE business_id = ?", b)).isEqualTo(1);
        owner.execute("""
                INSERT INTO message (business_id, conversation_id, external_id, direction, type, raw, status, status_rank,
                                     provider_timestamp, arrival_seq)
                SELECT %1$d, id, 'wamid-%1$d', 'inbound', 'text', '{}', 'received', 0, now(), 1
                FROM conversation WHERE business_id = %1$d
                """.formatted(a));
    }

    @Test
    void channels_are_readable_for_routing_but_only_registered_to_the_business_acted_for() {
        long visible = app.jdbi().inTransaction(h -> h.createQuery("SELECT count(*) FROM channel").mapTo(Long.class).one());
        assertThat(visible).isEqualTo(owner.count("SELECT count(*) FROM channel"));
        assertThatThrownBy(() -> BusinessScope.inBusiness(app.jdbi(), a, h -> h.execute(
                "INSERT INTO channel (business_id, kind, account_id) VALUES (?, 'whatsapp', 'stolen')", b)))
                .hasMessageContaining("row-level security");
    }

    @Test
    void credentials_of_any_business_are_found_only_through_the_sign_in_lookups() {
        owner.execute("INSERT INTO api_key (business_id, name, prefix, key_hash, role) VALUES (" + b
                + ", 'k', 'sfk_rlstest01', '\\x00', 'admin') ON CONFLICT DO NOTHING");
        long direct = app.jdbi().inTransaction(h -> h.createQuery("SELECT count(*) FROM api_key").mapTo(Long.class).one());
        long lookedUp = app.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM steadfast_api_key('sfk_rlstest01')")
                .mapTo(Long.class).one());
        assertThat(direct).isZero();
        assertThat(lookedUp).isEqualTo(1);
    }
}
