package io.steadfast.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.node.Node;
import io.steadfast.simulator.LiveClient;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What is past its retention goes, in batches; what an operator or a client still needs stays. */
class PrunerTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final Retention RETENTION = new Retention(Duration.ofDays(30), Duration.ofHours(24), Optional.empty());

    @Test
    void old_done_events_and_their_requests_go_while_dead_pending_and_young_ones_stay() {
        Jdbi jdbi = server.db().database().jdbi();
        jdbi.useHandle(h -> {
            seed(h, "old-done", "done", 2_500, 40 * 24);  // more than two batches
            seed(h, "old-dead", "dead", 3, 40 * 24);
            seed(h, "young-done", "done", 5, 1);
            seed(h, "young-pending", "pending", 5, 1);
        });

        Map<String, Long> deleted = pruner(RETENTION).runOnce();

        assertThat(deleted.get("inbox events")).as("events and requests").isEqualTo(2 * 2_500);
        assertThat(server.db().rows("SELECT dedup_key FROM inbox_event ORDER BY dedup_key"))
                .extracting(r -> r.get("dedup_key").toString().replaceAll("-\\d+$", ""))
                .containsOnly("old-dead", "young-done", "young-pending").hasSize(13);
        assertThat(server.db().count("SELECT count(*) FROM webhook_request")).as("one request per kept event").isEqualTo(13);
        assertThat(server.db().count("""
                SELECT count(*) FROM inbox_event e WHERE NOT EXISTS (SELECT 1 FROM webhook_request r WHERE r.id = e.request_id)
                """)).as("every kept event keeps its raw request").isZero();
        assertThat(pruner(RETENTION).runOnce().get("inbox events")).as("a second run finds nothing").isZero();
    }

    @Test
    void expired_rate_limit_buckets_go_and_live_ones_stay() {
        server.db().execute("""
                INSERT INTO rate_limit_bucket (id, state, expires_at)
                SELECT 'expired-' || i, '\\x00', (extract(epoch FROM now()) * 1000)::bigint - 1000 FROM generate_series(1, 2500) i;
                INSERT INTO rate_limit_bucket (id, state, expires_at)
                VALUES ('live', '\\x00', (extract(epoch FROM now()) * 1000)::bigint + 60000)
                """);

        assertThat(pruner(RETENTION).runOnce().get("rate-limit buckets")).isEqualTo(2_500);
        assertThat(server.db().rows("SELECT id FROM rate_limit_bucket")).containsExactly(Map.of("id", "live"));
    }

    @Test
    void a_retention_of_a_century_deletes_nothing() {
        server.db().database().jdbi().useHandle(h -> seed(h, "old-done", "done", 10, 40 * 24));
        Retention century = new Retention(Duration.ofDays(36_500), Duration.ofDays(36_500), Optional.of(Duration.ofDays(36_500)),
                Duration.ofDays(36_500));

        assertThat(pruner(century).runOnce()).containsOnly(Map.entry("inbox events", 0L), Map.entry("change log", 0L),
                Map.entry("order audit", 0L), Map.entry("rate-limit buckets", 0L), Map.entry("idempotency keys", 0L));
        assertThat(server.db().count("SELECT count(*) FROM webhook_request")).isEqualTo(10);
    }

    @Test
    void old_changes_go_and_a_client_resuming_from_before_them_is_told_its_cursor_expired() {
        Jdbi jdbi = server.db().database().jdbi();
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO change_log (business_id, kind, entity_id, changed_at)
                SELECT 1, 'order', 'o' || i, now() - interval '2 days' FROM generate_series(1, 1500) i
                """));
        jdbi.useHandle(h -> h.execute("INSERT INTO change_log (business_id, kind, entity_id) VALUES (1, 'order', 'fresh')"));
        long oldest = server.db().count("SELECT min(seq) FROM change_log");
        long fresh = server.db().count("SELECT max(seq) FROM change_log");

        assertThat(pruner(RETENTION).runOnce().get("change log")).isEqualTo(1_500);

        assertThat(server.db().count("SELECT count(*) FROM change_log")).isEqualTo(1);
        URI base = URI.create("http://127.0.0.1:" + server.node().port());
        assertThatThrownBy(() -> LiveClient.connect(base, TestNodes.API_TOKEN, "?since=" + oldest))
                .satisfies(e -> {
                    Throwable cause = e;
                    while (!(cause instanceof WebSocketHandshakeException) && cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
                    var response = ((WebSocketHandshakeException) cause).getResponse();
                    assertThat(response.statusCode()).isEqualTo(410);
                });
        try (LiveClient fromMark = LiveClient.connect(base, TestNodes.API_TOKEN, "?since=" + (fresh - 1))) {
            assertThat(fromMark.isOpen()).isTrue();
        }
    }

    @Test
    void order_audit_rows_stay_unless_a_retention_is_configured() {
        Jdbi jdbi = server.db().database().jdbi();
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO order_audit (business_id, shopify_order_id, inbox_event_id, webhook_id, topic, outcome, processed_at)
                SELECT 1, 7, i, 'w' || i, 'orders/updated', 'processed', now() - interval '400 days' FROM generate_series(1, 10) i
                """));

        assertThat(pruner(RETENTION).runOnce()).doesNotContainKey("order audit");
        assertThat(server.db().count("SELECT count(*) FROM order_audit")).isEqualTo(10);

        Retention withAudit = new Retention(RETENTION.events(), RETENTION.changeLog(), Optional.of(Duration.ofDays(365)));
        assertThat(pruner(withAudit).runOnce().get("order audit")).isEqualTo(10);
        assertThat(server.db().count("SELECT count(*) FROM order_audit")).isZero();
    }

    @Test
    void only_one_process_prunes_at_a_time() {
        Jdbi jdbi = server.db().database().jdbi();
        try (Handle holder = jdbi.open()) {
            holder.createQuery("SELECT pg_advisory_lock(:key)").bind("key", 0x5354_4544_5052_554EL).mapTo(String.class).one();
            assertThat(pruner(RETENTION).runOnce()).isEmpty();
            holder.createQuery("SELECT pg_advisory_unlock(:key)").bind("key", 0x5354_4544_5052_554EL).mapTo(Boolean.class).one();
        }
        assertThat(pruner(RETENTION).runOnce()).isNotEmpty();
    }

    private static Pruner pruner(Retention retention) {
        return new Pruner(server.db().database().jdbi(), Node.pruningRules(retention), Clock.systemUTC());
    }

    /** {@code count} events with one request each, received {@code hoursAgo}, in {@code status}. */
    private static void seed(Handle h, String prefix, String status, int count, int hoursAgo) {
        h.createUpdate("""
                WITH requests AS (
                    INSERT INTO webhook_request (id, source, received_at, headers, body)
                    SELECT (lpad(to_hex((extract(epoch FROM t) * 1000)::bigint), 12, '0') || '7'
                            || lpad(to_hex(hashtext(:prefix) & 4095), 3, '0') -- seeds in the same millisecond differ
                            || '8000' || lpad(to_hex(i), 12, '0'))::uuid, 'whatsapp', t, '{}', '\\x00'
                    FROM generate_series(1, :count) i, LATERAL (SELECT now() - make_interval(hours => :hours) AS t) at
                    RETURNING id, received_at
                )
                INSERT INTO inbox_event (source, partition_key, dedup_key, event_type, payload, request_id, status,
                                         received_at, next_attempt_at, processed_at, dead_at, last_error)
                SELECT 'whatsapp', 'p', :prefix || '-' || row_number() OVER (ORDER BY id), 'message', '{}', id, :status,
                       received_at, received_at, CASE WHEN :status = 'done' THEN received_at END,
                       CASE WHEN :status = 'dead' THEN received_at END, CASE WHEN :status = 'dead' THEN 'broken' END
                FROM requests
                """).bind("count", count).bind("hours", hoursAgo).bind("prefix", prefix).bind("status", status).execute();
    }
}
