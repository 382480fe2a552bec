package io.steadfast.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.db.DatabaseUrl;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.support.Db;
import io.steadfast.support.MutableClock;
import io.steadfast.support.ProbeHandler;
import io.steadfast.support.Probes;
import io.steadfast.support.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's rules, one at a time, with time under the test's control. */
class WorkerTest {
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration BACKOFF = Duration.ofSeconds(10);
    static final int MAX_ATTEMPTS = 3;
    static Db db;
    static Jdbi jdbi;
    MutableClock clock;
    Probes probes;
    /** Counted down when a {@link #heldWorker} starts holding its batch. */
    final CountDownLatch held = new CountDownLatch(1);

    @BeforeAll
    static void database() {
        DatabaseUrl url = TestPostgres.freshDatabase();
        db = new Db(url);
        jdbi = db.database().jdbi();
        db.execute(ProbeHandler.CREATE_TABLE);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static final long DEFAULT_BUSINESS = 1;

    @BeforeEach
    void clean() {
        db.execute("TRUNCATE probe_effect, inbox_event, webhook_request CASCADE");
        clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        probes = new Probes(jdbi, clock);
    }

    /** The dead letters as the default business sees them: the probe account is no business's, so it is default's. */
    DeadLetters deadLetters() {
        return new DeadLetters(jdbi);
    }

    Worker worker(String id) {
        return worker(id, new ProbeHandler(id));
    }

    Worker worker(String id, EventHandler handler) {
        return new Worker(id, jdbi, Map.of(ProbeHandler.TYPE, handler),
                new WorkerSettings(50, LEASE, MAX_ATTEMPTS, Duration.ofMillis(50), BACKOFF), clock, new Wakeup());
    }

    @Test
    void a_claimed_event_is_applied_once_and_marked_done() {
        probes.append(List.of(Probes.event("a", "{}"), Probes.event("b", "{}")));

        assertThat(worker("w1").runOnce()).isEqualTo(2);

        assertThat(db.count("SELECT count(*) FROM probe_effect")).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM inbox_event WHERE status = 'done' AND lease_token IS NULL")).isEqualTo(2);
        assertThat(worker("w2").runOnce()).isZero();
    }

    @Test
    void a_worker_whose_lease_expired_while_paused_cannot_commit() throws Exception {
        probes.append(List.of(Probes.event("zombie", "{}")));
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        java.util.function.BiConsumer<List<InboxEvent>, org.jdbi.v3.core.Handle> pause = (events, tx) -> {
            paused.countDown();
            await(resume);
        };
        Worker zombie = worker("zombie", new ProbeHandler("zombie", pause));
        CompletableFuture<Integer> zombieRun = CompletableFuture.supplyAsync(zombie::runOnce);
        assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(LEASE.plusSeconds(1));
        assertThat(worker("rescuer").runOnce()).isEqualTo(1);
        resume.countDown();
        zombieRun.get(10, TimeUnit.SECONDS);

        assertThat(db.rows("SELECT worker FROM probe_effect")).containsExactly(Map.of("worker", "rescuer"));
        assertThat(db.count("SELECT count(*) FROM inbox_event WHERE status = 'done'")).isEqualTo(1);
        assertThat(db.count("SELECT attempts FROM inbox_event")).isEqualTo(2);
    }

    @Test
    void a_live_worker_renews_its_lease_so_a_batch_longer_than_the_lease_keeps_its_events_and_commits() throws Exception {
        probes.append(List.of(Probes.event("long", "{}")));
        CountDownLatch finish = new CountDownLatch(1);
        LeaseKeeper keeper = new LeaseKeeper(jdbi, LEASE, clock);
        Worker slow = heldWorker("slow", keeper, finish);
        CompletableFuture<Integer> run = runUntilHeld(slow);

        assertThat(keeper.renew()).as("a young lease is left alone").isZero();
        for (int beat = 0; beat < 12; beat++) { // three leases' worth of heartbeats
            clock.advance(keeper.interval());
            keeper.renew();
            assertThat(worker("rival").runOnce()).isZero();
        }
        finish.countDown();
        run.get(10, TimeUnit.SECONDS);

        assertThat(db.rows("SELECT worker FROM probe_effect")).containsExactly(Map.of("worker", "slow"));
        assertThat(slow.leaseLostCount()).isZero();
        assertThat(keeper.renew()).as("a finished batch is no longer renewed").isZero();
    }

    @Test
    void a_batch_is_renewed_for_at_most_the_maximum_hold_then_another_worker_takes_it_and_fencing_refuses_the_first()
            throws Exception {
        probes.append(List.of(Probes.event("stuck", "{}")));
        CountDownLatch finish = new CountDownLatch(1);
        LeaseKeeper keeper = new LeaseKeeper(jdbi, LEASE, clock);
        Worker stuck = heldWorker("stuck", keeper, finish);
        CompletableFuture<Integer> run = runUntilHeld(stuck);

        while (clock.instant().isBefore(Instant.parse("2030-01-01T00:00:00Z").plus(LeaseKeeper.MAX_HOLD))) {
            clock.advance(keeper.interval());
            keeper.renew();
        }
        clock.advance(LEASE);
        assertThat(worker("rescuer").runOnce()).isEqualTo(1);
        finish.countDown();
        run.get(10, TimeUnit.SECONDS);

        assertThat(db.rows("SELECT worker FROM probe_effect")).containsExactly(Map.of("worker", "rescuer"));
        assertThat(stuck.leaseLostCount()).isEqualTo(1);
    }

    /** A worker renewing its leases with {@code keeper}, whose handler holds every batch until {@code finish}. */
    Worker heldWorker(String id, LeaseKeeper keeper, CountDownLatch finish) {
        return new Worker(id, jdbi, Map.of(ProbeHandler.TYPE, new ProbeHandler(id, (events, tx) -> {
            held.countDown();
            await(finish);
        })), new WorkerSettings(50, LEASE, MAX_ATTEMPTS, Duration.ofMillis(50), BACKOFF), clock, new Wakeup(), keeper,
                new GiveWay());
    }

    /** Starts one claim of {@code worker} and returns once its handler holds the batch. */
    CompletableFuture<Integer> runUntilHeld(Worker worker) throws InterruptedException {
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(worker::runOnce);
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        return run;
    }

    @Test
    void an_expired_lease_is_claimed_again_by_another_worker() {
        probes.append(List.of(Probes.event("crashed", "{}")));
        new Claimer(jdbi).claimAvailable("crashed-worker", 10, clock.instant(), LEASE); // claims, then dies

        assertThat(worker("w2").runOnce()).as("lease still valid").isZero();
        clock.advance(LEASE);
        assertThat(worker("w2").runOnce()).isEqualTo(1);

        assertThat(db.count("SELECT count(*) FROM probe_effect")).isEqualTo(1);
    }

    @Test
    void a_failing_event_is_retried_after_a_backoff_and_then_succeeds() {
        probes.append(List.of(Probes.event("flaky", "{\"fail_until_attempt\": 2}")));
        Worker w = worker("w");

        w.runOnce();
        Map<String, Object> row = db.rows("SELECT status, attempts, next_attempt_at, last_error FROM inbox_event").getFirst();
        assertThat(row.get("status")).isEqualTo("pending");
        assertThat(row.get("last_error").toString()).contains("fails on attempt 1");
        Instant next = ((java.sql.Timestamp) row.get("next_attempt_at")).toInstant();
        assertThat(Duration.between(clock.instant(), next)).isBetween(BACKOFF.dividedBy(2), BACKOFF.multipliedBy(3).dividedBy(2));
        assertThat(w.runOnce()).as("not before its time").isZero();

        clock.advance(Duration.ofMinutes(1));
        w.runOnce();
        clock.advance(Duration.ofMinutes(1));
        w.runOnce();

        assertThat(db.count("SELECT count(*) FROM probe_effect")).isEqualTo(1);
        assertThat(db.rows("SELECT status, attempts FROM inbox_event")).containsExactly(Map.of("status", "done", "attempts", 3));
        assertThat(w.errorsCount()).isEqualTo(2);
    }

    @Test
    void retries_back_off_exponentially_with_jitter() {
        for (int i = 0; i < 20; i++) {
            probes.append(List.of(Probes.event("slow" + i, "{\"fail_until_attempt\": 9}")));
        }
        Worker w = worker("w");
        w.runOnce();
        List<Duration> firstWaits = waits();
        clock.advance(Duration.ofMinutes(1));
        w.runOnce();
        List<Duration> secondWaits = waits();

        assertThat(firstWaits).hasSize(20).allSatisfy(d -> assertThat(d).isBetween(BACKOFF.dividedBy(2), BACKOFF.multipliedBy(3).dividedBy(2)));
        assertThat(secondWaits).hasSize(20).allSatisfy(d -> assertThat(d).isBetween(BACKOFF, BACKOFF.multipliedBy(3)));
        assertThat(firstWaits.stream().distinct().count()).as("jitter spreads the retries").isGreaterThan(10);
    }

    @Test
    void an_event_that_keeps_failing_is_dead_lettered_with_its_reason_after_the_last_attempt() {
        probes.append(List.of(Probes.event("doomed", "{\"fail_until_attempt\": 99}")));
        Worker w = worker("w");
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            w.runOnce();
            clock.advance(Duration.ofHours(1));
        }

        List<DeadLetters.DeadEvent> dead = deadLetters().list(DEFAULT_BUSINESS, 10, java.util.Optional.empty());
        assertThat(dead).hasSize(1);
        assertThat(dead.getFirst().reason()).contains("failed 3 times").contains("fails on attempt 3");
        assertThat(dead.getFirst().attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(w.runOnce()).isZero();
        assertThat(db.count("SELECT count(*) FROM probe_effect")).isZero();
    }

    @Test
    void a_permanent_failure_goes_to_the_dead_letters_at_once_and_replay_brings_it_back() {
        probes.append(List.of(Probes.event("bad", "{\"permanent\": true}")));
        worker("w").runOnce();

        DeadLetters deadLetters = deadLetters();
        DeadLetters.DeadEvent dead = deadLetters.list(DEFAULT_BUSINESS, 10, java.util.Optional.empty()).getFirst();
        assertThat(dead.reason()).isEqualTo("probe bad is marked permanent");
        assertThat(dead.attempts()).isEqualTo(1);

        db.execute("UPDATE inbox_event SET payload = '{}'"); // the cause is fixed
        deadLetters.replay(DEFAULT_BUSINESS, dead.id(), clock.instant());
        assertThat(worker("w").runOnce()).isEqualTo(1);
        assertThat(db.rows("SELECT status, replay_count FROM inbox_event"))
                .containsExactly(Map.of("status", "done", "replay_count", 1));
        assertThatThrownBy(() -> deadLetters.replay(DEFAULT_BUSINESS, dead.id(), clock.instant()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is done");
    }

    @Test
    void one_failing_event_in_a_batch_does_not_hold_back_the_others() {
        probes.append(List.of(Probes.event("ok1", "{}"), Probes.event("poison", "{\"permanent\": true}"),
                Probes.event("ok2", "{}"), Probes.event("flaky", "{\"fail_until_attempt\": 1}")));

        assertThat(worker("w").runOnce()).isEqualTo(4);

        assertThat(db.rows("SELECT dedup_key, status FROM inbox_event ORDER BY dedup_key")).containsExactly(
                Map.of("dedup_key", "flaky", "status", "pending"),
                Map.of("dedup_key", "ok1", "status", "done"),
                Map.of("dedup_key", "ok2", "status", "done"),
                Map.of("dedup_key", "poison", "status", "dead"));
        assertThat(db.count("SELECT count(*) FROM probe_effect")).isEqualTo(2);
    }

    @Test
    void an_event_whose_worker_died_on_every_attempt_is_dead_lettered_instead_of_run_again() {
        probes.append(List.of(Probes.event("crasher", "{}")));
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            new Claimer(jdbi).claimAvailable("dies-" + i, 10, clock.instant(), LEASE);
            clock.advance(LEASE);
        }

        worker("w").runOnce();

        assertThat(db.count("SELECT count(*) FROM probe_effect")).isZero();
        assertThat(deadLetters().list(DEFAULT_BUSINESS, 10, java.util.Optional.empty()).getFirst().reason())
                .contains("gave up after 3 attempts");
    }

    @Test
    void an_event_without_a_handler_is_dead_lettered() {
        probes.append(List.of(new NewEvent("probe", "p", "stray", "no.such.type", "{}")));

        worker("w").runOnce();

        assertThat(deadLetters().list(DEFAULT_BUSINESS, 10, java.util.Optional.empty()).getFirst().reason())
                .isEqualTo("no handler for event type 'no.such.type'");
    }

    @Test
    void a_stopping_worker_gives_back_the_events_it_did_not_start() {
        probes.append(List.of(Probes.event("first", "{}"), new NewEvent("probe", "p", "other", "probe.other", "{}")));
        Worker[] self = new Worker[1];
        Worker w = new Worker("w", jdbi, Map.of(ProbeHandler.TYPE, new ProbeHandler("w", (events, tx) -> self[0].stop()),
                "probe.other", new ProbeHandler("w")),
                new WorkerSettings(50, LEASE, MAX_ATTEMPTS, Duration.ofMillis(50), BACKOFF), clock, new Wakeup());
        self[0] = w;

        w.runOnce();

        assertThat(db.rows("SELECT dedup_key, status, attempts FROM inbox_event ORDER BY dedup_key")).containsExactly(
                Map.of("dedup_key", "first", "status", "done", "attempts", 1),
                Map.of("dedup_key", "other", "status", "pending", "attempts", 0));
    }

    private List<Duration> waits() {
        return db.rows("SELECT next_attempt_at FROM inbox_event").stream()
                .map(r -> Duration.between(clock.instant(), ((java.sql.Timestamp) r.get("next_attempt_at")).toInstant()))
                .toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
