package io.steadfast.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import io.steadfast.support.Db;
import io.steadfast.support.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hub against real PostgreSQL, with transactions held open and rolled back by hand: every committed change
 * reaches every client of its business, live and on resume, whatever its transaction did in the meantime.
 */
class SyncHubTest {
    static final long BUSINESS = 1;
    static Db db;
    static Jdbi jdbi;

    @BeforeAll
    static void database() {
        db = new Db(TestPostgres.freshDatabase());
        jdbi = db.database().jdbi();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE change_log");
    }

    @Test
    void a_change_whose_transaction_stays_open_30_s_arrives_live_and_on_resume_and_a_rolled_back_one_blocks_nothing()
            throws Exception {
        try (SyncHub hub = hub(SyncHub.DEFAULT_CLIENT_QUEUE)) {
            Client live = Client.of(BUSINESS);
            hub.subscribe(live, Optional.empty());
            Client leaves = Client.of(BUSINESS);
            Subscription leaving = hub.subscribe(leaves, Optional.empty());
            await().until(() -> subscribed(hub, 2));

            Handle slow = jdbi.open();
            slow.begin();
            Changes.record(slow, Changes.ORDER, List.of(BUSINESS), List.of("slow"));
            long slowSeq = slow.createQuery("SELECT max(seq) FROM change_log").mapTo(Long.class).one();
            Handle rolledBack = jdbi.open();
            rolledBack.begin();
            Changes.record(rolledBack, Changes.ORDER, List.of(BUSINESS), List.of("never"));

            long openedAt = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                write("fast-" + i);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> live.entities().size() == 300);
            assertThat(live.entities()).doesNotContain("slow");
            assertThat(live.lastCursor()).as("the cursor waits below the open transaction").isLessThan(slowSeq);
            rolledBack.rollback();
            rolledBack.close();

            await().atMost(Duration.ofSeconds(20)).until(() -> leaves.entities().size() == 300);
            long resumeFrom = leaves.lastCursor();
            leaving.close();

            for (int i = 300; i < 400; i++) { // hundreds more commit while the slow one stays open
                write("fast-" + i);
            }
            long open = Duration.ofSeconds(30).toNanos() - (System.nanoTime() - openedAt);
            if (open > 0) {
                new CountDownLatch(1).await(open, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            slow.commit();
            slow.close();
            write("after");

            await().atMost(Duration.ofSeconds(20)).until(() -> live.entities().contains("after"));
            assertThat(live.entities()).contains("slow").hasSize(402).doesNotContain("never");
            assertThat(live.lastCursor()).as("the cursor moves on once the slow one committed").isGreaterThan(slowSeq);

            Client resumed = Client.of(BUSINESS);
            hub.subscribe(resumed, Optional.of(resumeFrom));
            await().atMost(Duration.ofSeconds(20)).until(() -> resumed.entities().contains("after"));
            assertThat(resumed.entities()).contains("slow", "fast-399").doesNotContain("never");
        }
    }

    @Test
    void a_change_whose_rendering_fails_is_read_again_not_skipped() {
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(2);
        SyncHub.Renderer flaky = c -> {
            if (c.entityId().equals("flaky") && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("the database went away while rendering");
            }
            return Optional.of(Map.of("entity", c.entityId()));
        };
        try (SyncHub hub = new SyncHub(db.database(), flaky, SyncHub.DEFAULT_CLIENT_QUEUE)) {
            Client client = Client.of(BUSINESS);
            hub.subscribe(client, Optional.empty());
            await().until(() -> subscribed(hub, 1));

            jdbi.useTransaction(h -> Changes.record(h, Changes.ORDER, List.of(BUSINESS, BUSINESS, BUSINESS),
                    List.of("before", "flaky", "after")));

            await().atMost(Duration.ofSeconds(20)).until(() -> client.entities().size() == 3);
            assertThat(client.entities()).containsExactly("before", "flaky", "after");
            assertThat(failures.get()).as("it failed twice, then rendered").isNegative();
        }
    }

    @Test
    void a_thousand_clients_get_every_change_while_one_that_never_reads_is_closed_as_behind() {
        int queue = 100;
        try (SyncHub hub = hub(queue)) {
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < 999; i++) {
                clients.add(Client.of(BUSINESS));
            }
            Client stuck = Client.stuck(BUSINESS);
            Client otherBusiness = Client.of(BUSINESS + 1);
            clients.forEach(c -> hub.subscribe(c, Optional.empty()));
            hub.subscribe(stuck, Optional.empty());
            hub.subscribe(otherBusiness, Optional.empty());
            await().until(() -> subscribed(hub, 1_001));

            for (int batch = 1; batch <= 10; batch++) { // 300 changes: three times what the stuck client may queue
                List<String> entities = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    entities.add("e-" + batch + "-" + i);
                }
                jdbi.useTransaction(h -> Changes.record(h, Changes.ORDER,
                        entities.stream().map(e -> BUSINESS).toList(), entities));
                int expected = batch * 30;
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(clients).allSatisfy(c -> assertThat(c.entities()).hasSize(expected)));
            }
            assertThat(stuck.closedWith()).isEqualTo(Subscription.BEHIND);
            assertThat(stuck.closeReason()).startsWith("too far behind: reconnect with ?since=");
            assertThat(otherBusiness.entities()).isEmpty();
            assertThat(clients).allSatisfy(c -> assertThat(c.closedWith()).isZero());
        }
    }

    @Test
    void racing_writers_and_rollbacks_and_clients_that_keep_reconnecting_miss_nothing_and_keep_each_entity_in_order()
            throws Exception {
        for (int run = 0; run < 3; run++) {
            db.execute("TRUNCATE change_log");
            try (SyncHub hub = hub(SyncHub.DEFAULT_CLIENT_QUEUE)) {
                Random random = new Random(run);
                List<Reconnecting> readers = List.of(new Reconnecting(hub), new Reconnecting(hub), new Reconnecting(hub));
                AtomicInteger written = new AtomicInteger();
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    long seed = random.nextLong();
                    writers.add(Thread.ofPlatform().start(() -> writeRandomly(new Random(seed), written)));
                }
                while (writers.stream().anyMatch(Thread::isAlive)) {
                    readers.get(random.nextInt(readers.size())).reconnect();
                    Thread.onSpinWait();
                    writers.getFirst().join(1 + random.nextInt(40));
                }
                List<Long> committed = db.rows("SELECT seq FROM change_log ORDER BY seq").stream()
                        .map(r -> ((Number) r.get("seq")).longValue()).toList();
                assertThat(committed).isNotEmpty();
                for (Reconnecting reader : readers) {
                    reader.reconnect();
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                            assertThat(reader.seqs()).as(reader.describe(committed)).containsAll(committed));
                    assertThat(reader.entitiesInSeqOrder()).as("each entity's changes arrive in seq order").isTrue();
                }
            }
        }
    }

    /** Four entities, each changed only under its row lock, in transactions that sometimes roll back or linger. */
    private static void writeRandomly(Random random, AtomicInteger written) {
        for (int i = 0; i < 150; i++) {
            String entity = "entity-" + random.nextInt(4);
            try (Handle h = jdbi.open()) {
                h.begin();
                h.execute("SELECT pg_advisory_xact_lock(hashtext(?))", entity);
                Changes.record(h, Changes.ORDER, List.of(BUSINESS), List.of(entity));
                if (random.nextInt(10) == 0) {
                    h.execute("SELECT pg_sleep(?)", random.nextInt(200) / 1000.0);
                }
                if (random.nextInt(8) == 0) {
                    h.rollback();
                } else {
                    h.commit();
                    written.incrementAndGet();
                }
            }
        }
    }

    /** A client that disconnects now and then and resumes from the cursor of the last message it got. */
    private static final class Reconnecting {
        private final SyncHub hub;
        private final List<Client> sessions = new CopyOnWriteArrayList<>();
        private Subscription current;


        Reconnecting(SyncHub hub) {
            this.hub = hub;
            reconnect();
        }

        void reconnect() {
            Optional<Long> since = Optional.empty();
            if (current != null) {
                Client last = sessions.getLast();
                last.closed = true;
                current.close();
                since = Optional.of(last.received.isEmpty() ? last.since : last.lastCursor());
            }
            Client next = Client.of(BUSINESS);
            next.since = since.orElse(0L);
            sessions.add(next);
            current = hub.subscribe(next, since.isPresent() ? since : Optional.of(0L));
        }

        /** Each session of this client: where it resumed, and what it received around a seq it missed. */
        String describe(List<Long> committed) {
            Set<Long> got = seqs();
            List<Long> missed = committed.stream().filter(seq -> !got.contains(seq)).toList();
            StringBuilder text = new StringBuilder("missed " + missed + "; sessions:");
            for (Client c : sessions) {
                List<Long> seqs = c.received.stream().map(m -> m.path("seq").asLong()).toList();
                List<String> near = c.received.stream().filter(m -> missed.stream()
                                .anyMatch(x -> Math.abs(m.path("seq").asLong() - x) <= 3))
                        .map(m -> m.path("seq").asLong() + "@" + m.path("cursor").asLong()).toList();
                text.append("\n  since ").append(c.since).append(": ").append(seqs.size()).append(" received")
                        .append(seqs.isEmpty() ? "" : ", seqs " + seqs.stream().min(Long::compare).orElseThrow() + "-"
                                + seqs.stream().max(Long::compare).orElseThrow())
                        .append(near.isEmpty() ? "" : ", near the miss (seq@cursor, in arrival order) " + near);
            }
            return text.toString();
        }

        Set<Long> seqs() {
            return sessions.stream().flatMap(s -> s.received.stream()).map(m -> m.path("seq").asLong())
                    .collect(Collectors.toSet());
        }

        /** After dedup by seq, each entity's seqs ascend in the order they arrived. */
        boolean entitiesInSeqOrder() {
            Set<Long> seen = new LinkedHashSet<>();
            Map<String, Long> lastPerEntity = new java.util.HashMap<>();
            for (Client s : sessions) {
                for (JsonNode m : s.received) {
                    if (!seen.add(m.path("seq").asLong())) {
                        continue;
                    }
                    String entity = m.path("order").path("entity").asText();
                    long seq = m.path("seq").asLong();
                    if (lastPerEntity.getOrDefault(entity, 0L) > seq) {
                        return false;
                    }
                    lastPerEntity.put(entity, seq);
                }
            }
            return true;
        }
    }

    private static SyncHub hub(int queue) {
        return new SyncHub(db.database(), c -> Optional.of(Map.of("entity", c.entityId())), queue);
    }

    private static boolean subscribed(SyncHub hub, int clients) {
        return hub.clientCount() == clients;
    }

    private static void write(String entity) {
        jdbi.useTransaction(h -> Changes.record(h, Changes.ORDER, List.of(BUSINESS), List.of(entity)));
    }

    /** A client that keeps what it is sent; a stuck one blocks in its first send forever. */
    private static final class Client implements Subscription.Sink {
        final long business;
        final boolean stuck;
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        volatile int closedWith;
        volatile String closeReason;
        volatile boolean closed;
        long since;

        private Client(long business, boolean stuck) {
            this.business = business;
            this.stuck = stuck;
        }

        static Client of(long business) {
            return new Client(business, false);
        }

        static Client stuck(long business) {
            return new Client(business, true);
        }

        @Override
        public long businessId() {
            return business;
        }

        @Override
        public void send(List<String> messages) throws Exception {
            if (stuck) {
                new CountDownLatch(1).await();
            }
            if (closed) {
                throw new IllegalStateException("closed");
            }
            messages.forEach(m -> received.add(Json.parse(m)));
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
            closeReason = reason;
        }

        List<String> entities() {
            return received.stream().map(m -> m.path("order").path("entity").asText()).toList();
        }

        long lastCursor() {
            return received.isEmpty() ? 0 : received.getLast().path("cursor").asLong();
        }

        int closedWith() {
            return closedWith;
        }

        String closeReason() {
            return closeReason;
        }
    }
}
