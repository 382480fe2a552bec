package io.steadfast.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.db.BusinessScope;
import io.steadfast.db.Database;
import io.steadfast.json.Json;
import io.steadfast.load.Seeder;
import io.steadfast.support.Http;
import io.steadfast.support.TestServer;
import io.steadfast.tenant.Access;
import io.steadfast.tenant.ApiKeys;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's read paths over seeded data: conversations, a conversation's messages, search and analytics each
 * read a business's rows through an index (EXPLAIN, under row-level security), and answer what the data holds.
 */
class ReadPathsTest {
    @RegisterExtension
    static final TestServer server = new TestServer();

    /** Tables that grow with traffic: a sequential scan of one reads every business's rows. */
    static final Set<String> GROWING = Set.of("message", "outbound_message", "conversation", "customer",
            "message_status_report", "inbox_event", "change_log");

    Seeder.Result seed(int businesses, int conversations, long messages) {
        try (Database owner = Database.connect(server.db().database().url(), 2, "read-paths-seed")) {
            return new Seeder(owner, new Random(15)).seed(new Seeder.Plan(businesses, conversations, messages, 60));
        }
    }

    @Test
    void every_read_query_reads_one_business_through_an_index() {
        long business = seed(20, 1_000, 60_000).businessIds().get(7);
        long conversation = server.db().count("SELECT min(id) FROM conversation WHERE business_id = ?", business);
        Instant now = Instant.now();
        Map<String, Map<String, Object>> queries = Map.of(
                "conversations", Map.of("business_id", business, "before_at", now, "before_id", Long.MAX_VALUE,
                        "limit", 50, "count_cap", MessagingQueries.COUNT_CAP),
                "messages", Map.of("business_id", business, "conversation_id", conversation, "after_at", Instant.EPOCH,
                        "after_seq", -1L, "limit", 100),
                "search", Map.of("business_id", business, "q", "refund parcel", "required", "refund parcel",
                        "before_at", now, "before_seq", Long.MAX_VALUE, "limit", 50),
                "analytics", Map.of("business_id", business, "since", now.minus(29, ChronoUnit.DAYS)));
        Map<String, String> sql = Map.of("conversations", MessagingQueries.CONVERSATIONS,
                "messages", MessagingQueries.MESSAGES_IN_ORDER, "search", MessagingQueries.SEARCH,
                "analytics", MessageAnalytics.DAILY);
        List<String> scans = new ArrayList<>();
        server.node().database().jdbi().useTransaction(h -> {
            BusinessScope.actFor(h, List.of(business));
            queries.forEach((name, params) -> seqScans(plan(h, sql.get(name), params)).forEach(t -> scans.add(name
                    + " reads all of " + t)));
        });
        // search runs inside a function of the schema, as its owner: its own query is planned there
        server.db().database().jdbi().useTransaction(h -> {
            BusinessScope.actFor(h, List.of(business));
            JsonNode inside = plan(h, searchBody(h), queries.get("search"));
            seqScans(inside).forEach(t -> scans.add("search (in its function) reads all of " + t));
            assertThat(inside.toString()).as("the words are looked up in the index").contains("message_text_search");
        });
        assertThat(scans).isEmpty();
        List<String> control = server.db().database().jdbi().withHandle(h -> seqScans(plan(h,
                "SELECT count(*) FROM message WHERE text LIKE '%parcel%'", Map.of())));
        assertThat(control).as("the check sees a scan of every business's rows").containsExactly("message");
    }

    @Test
    void search_finds_the_words_newest_first_in_one_business_and_analytics_count_what_is_there() {
        List<Long> businesses = seed(3, 30, 3_000).businessIds();
        long business = businesses.get(1);
        String reader = new ApiKeys(server.node().database().jdbi()).create(business, "reader", Access.AGENT).key();

        JsonNode found = server.http().api("GET", "/v1/messages/search?q=refund+parcel&limit=1000", null, reader).json();
        long expected = server.db().count("SELECT count(*) FROM message WHERE business_id = ? AND text ~ '\\mrefund\\M' "
                + "AND text ~ '\\mparcel\\M'", business);
        assertThat(expected).isPositive();
        assertThat(found.path("items")).hasSize((int) expected);
        List<String> times = found.path("items").findValuesAsText("provider_timestamp");
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(found.path("items").findValuesAsText("text"))
                .allSatisfy(t -> assertThat(t).contains("refund").contains("parcel"));
        long others = server.db().count("SELECT count(*) FROM message WHERE business_id <> ? AND text LIKE '%refund%'",
                business);
        assertThat(others).as("other businesses have such messages too").isPositive();
        Set<Long> ownConversations = Set.copyOf(server.db().rows("SELECT id FROM conversation WHERE business_id = ?",
                business).stream().map(r -> ((Number) r.get("id")).longValue()).toList());
        assertThat(found.path("items").findValues("conversation_id")).allSatisfy(c -> assertThat(ownConversations)
                .contains(c.asLong()));

        for (String[] c : List.of(
                new String[] {"refund -parcel", "text ~ '\\mrefund\\M' AND text !~ '\\mparcel\\M'"},
                new String[] {"refund or parcel", "(text ~ '\\mrefund\\M' OR text ~ '\\mparcel\\M')"},
                new String[] {"\"refund parcel\"", "text ~ '\\mrefund parcel\\M'"},
                new String[] {"REFUND", "text ~ '\\mrefund\\M'"})) {
            JsonNode page = server.http().api("GET", "/v1/messages/search?q=" + java.net.URLEncoder.encode(c[0],
                    java.nio.charset.StandardCharsets.UTF_8) + "&limit=1000", null, reader).json();
            long want = server.db().count("SELECT count(*) FROM message WHERE business_id = ? AND " + c[1], business);
            assertThat(page.path("items")).as(c[0]).hasSize((int) Math.min(want, 1000));
        }

        long other = businesses.get(0);
        long foreign = server.node().database().jdbi().inTransaction(h -> {
            BusinessScope.actFor(h, List.of(business));
            return h.createQuery("SELECT count(*) FROM steadfast_search_messages(:other, 'refund', 'refund', "
                    + "'9999-12-31', 9223372036854775807, 1000)").bind("other", other).mapTo(Long.class).one();
        });
        assertThat(foreign).as("another business's messages, asked by name").isZero();

        JsonNode stats = server.http().api("GET", "/v1/analytics/messages?days=30", null, reader).json();
        Instant since = Instant.parse(stats.path("since").asText());
        assertThat(stats.path("total").asLong()).isEqualTo(server.db().count(
                "SELECT count(*) FROM message WHERE business_id = ? AND provider_timestamp >= ?", business,
                java.sql.Timestamp.from(since)));
        assertThat(stats.path("by_channel").path("whatsapp").asLong()).isEqualTo(stats.path("total").asLong());
        assertThat(stats.path("by_direction").path("inbound").asLong() + stats.path("by_direction").path("outbound")
                .asLong()).isEqualTo(stats.path("total").asLong());
        assertThat(stats.path("daily").findValuesAsText("day").stream().distinct()).hasSizeLessThanOrEqualTo(30);

        for (String bad : List.of("/v1/messages/search", "/v1/messages/search?q=", "/v1/analytics/messages?days=0",
                "/v1/analytics/messages?days=abc", "/v1/analytics/messages?days=400")) {
            Http.Response r = server.http().api("GET", bad, null, reader);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().path("message").asText()).as(bad).isNotEmpty();
        }
    }

    /** The query of the search function, with its parameters named as the application binds them. */
    private static String searchBody(Handle h) {
        return h.createQuery("SELECT prosrc FROM pg_proc WHERE proname = 'steadfast_search_messages'")
                .mapTo(String.class).one().replace("p_business", ":business_id").replace("p_query", ":q")
                .replace("p_required", ":required").replace("p_before_at", ":before_at")
                .replace("p_before_seq", ":before_seq").replace("p_limit", ":limit");
    }

    private static JsonNode plan(Handle h, String sql, Map<String, Object> params) {
        var query = h.createQuery("EXPLAIN (FORMAT JSON) " + sql);
        params.forEach(query::bind);
        return Json.parse(query.mapTo(String.class).one()).get(0).path("Plan");
    }

    /** The growing tables a plan reads with a sequential scan. */
    private static List<String> seqScans(JsonNode node) {
        List<String> found = new ArrayList<>();
        if (node.path("Node Type").asText().equals("Seq Scan") && GROWING.contains(node.path("Relation Name").asText())) {
            found.add(node.path("Relation Name").asText());
        }
        node.path("Plans").forEach(child -> found.addAll(seqScans(child)));
        return found;
    }
}
