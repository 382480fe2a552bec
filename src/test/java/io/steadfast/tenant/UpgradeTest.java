package io.steadfast.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.db.DatabaseUrl;
import io.steadfast.node.Node;
import io.steadfast.support.Db;
import io.steadfast.support.Http;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** A database written before businesses had credentials: its data is the default business's, and still served. */
class UpgradeTest {
    @Test
    void data_stored_before_tenants_belongs_to_default_and_the_operator_still_reads_it() {
        TestPostgres.server();
        TestPostgres.execute(TestPostgres.url("postgres"), "CREATE DATABASE before_tenants");
        DatabaseUrl url = DatabaseUrl.parse(TestPostgres.url("before_tenants"));
        Flyway.configure().dataSource(url.jdbcUrl(), null, null).locations("classpath:db/migration").target("8").load()
                .migrate();
        try (Db owner = new Db(url)) {
            owner.execute("""
                    INSERT INTO shop_order (business_id, shopify_order_id, shop_domain, currency, total_price, line_items,
                                            placed_at, last_external_updated_at, version, last_inbox_event_id)
                    VALUES (1, 4242, 'old.myshopify.com', 'EUR', 9.5, '[]', now(), now(), 1, 1);
                    INSERT INTO channel (business_id, kind, account_id) VALUES (1, 'whatsapp', '700000007');
                    """);
        }

        try (Node node = TestNodes.start(url)) {
            Http http = new Http(node.port());
            Http.Response order = http.get("/v1/orders/4242");
            assertThat(order.status()).as(order.body()).isEqualTo(200);
            assertThat(order.json().path("total_price").asText()).isEqualTo("9.5");
            assertThat(http.get("/v1/channels").json().path("items").get(0).path("phone_number_id").asText())
                    .isEqualTo("700000007");
        }
        try (Db owner = new Db(url)) {
            assertThat(owner.count("SELECT count(*) FROM flyway_schema_history WHERE version = '9' AND success"))
                    .isEqualTo(1);
        }
    }

    /** V9 was edited to run on PostgreSQL 14 and 15; a database that applied its first text still starts. */
    @Test
    void a_database_that_applied_the_first_text_of_an_edited_migration_still_starts() {
        TestPostgres.server();
        TestPostgres.execute(TestPostgres.url("postgres"), "CREATE DATABASE first_v9");
        DatabaseUrl url = DatabaseUrl.parse(TestPostgres.url("first_v9"));
        io.steadfast.db.Database.migrate(url);
        try (Db owner = new Db(url)) { // as recorded by a deployment before the edit
            owner.execute("UPDATE flyway_schema_history SET checksum = 17033121 WHERE version = '9'");
        }
        assertThat(Flyway.configure().dataSource(url.jdbcUrl(), null, null).locations("classpath:db/migration").load()
                .validateWithResult().validationSuccessful).as("Flyway alone refuses the old checksum").isFalse();

        try (Node node = TestNodes.start(url)) {
            assertThat(new Http(node.port()).get("/v1/me").status()).isEqualTo(200);
        }
        try (Db owner = new Db(url)) {
            assertThat(owner.count("SELECT checksum FROM flyway_schema_history WHERE version = '9'"))
                    .isEqualTo(-1792781011L);
        }
    }
}
