package io.steadfast.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steadfast.config.Config;
import io.steadfast.db.DatabaseUrl;
import io.steadfast.support.Db;
import io.steadfast.support.Inbox;
import io.steadfast.support.ProbeHandler;
import io.steadfast.support.ProbeWorkerMain;
import io.steadfast.support.Probes;
import io.steadfast.support.Processes;
import io.steadfast.chaos.JavaProcess;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Worker processes sharing one database, killed with SIGKILL and frozen with SIGSTOP mid-batch. The probe
 * handler is not idempotent, so {@code probe_effect} shows every time an event was applied.
 */
class WorkerProcessesTest {
    static final Duration LEASE = Duration.ofSeconds(3);
    DatabaseUrl url;
    Db db;
    final List<JavaProcess> children = new ArrayList<>();

    @BeforeEach
    void database() {
        url = TestPostgres.freshDatabase();
        db = new Db(url);
        db.execute(ProbeHandler.CREATE_TABLE);
    }

    @AfterEach
    void cleanUp() {
        children.forEach(JavaProcess::destroy);
        db.close();
    }

    JavaProcess worker(String name) {
        Map<String, String> env = TestNodes.with(TestNodes.settings(url),
                Config.LEASE_MS, String.valueOf(LEASE.toMillis()),
                Config.BATCH_SIZE, "50",
                Config.WORKERS, "2",
                "PROBE_WORKER", name);
        JavaProcess child = Processes.startJava(name, ProbeWorkerMain.class.getName(), env);
        children.add(child);
        return child;
    }

    @Test
    void two_worker_processes_apply_a_burst_of_ten_thousand_events_exactly_once() {
        JavaProcess a = worker("a");
        JavaProcess b = worker("b");
        awaitWorkersOf(a, b);
        try (Probes probes = new Probes(db.database().jdbi())) {
            probes.appendMany("burst", 10_000, 200);
        }

        Inbox.awaitDrained(db, Duration.ofSeconds(120));

        assertExactlyOnce(10_000);
        assertThat(db.count("SELECT count(DISTINCT worker) FROM probe_effect")).as("both processes took part").isEqualTo(2);
        stopGracefully(a);
        stopGracefully(b);
    }

    @Test
    void a_worker_killed_with_sigkill_mid_batch_leaves_its_events_to_be_reclaimed_and_applied_once() {
        try (Probes probes = new Probes(db.database().jdbi())) {
            probes.appendMany("k", 2_000, 100);
        }
        gate("doomed", false);
        JavaProcess doomed = worker("doomed");
        awaitHoldingEvents(doomed);

        doomed.killHard();
        long leftLeased = db.count("SELECT count(*) FROM inbox_event WHERE status = 'processing'");
        worker("survivor");
        Inbox.awaitDrained(db, Duration.ofSeconds(120));

        assertThat(leftLeased).as("events the killed worker held").isPositive();
        assertExactlyOnce(2_000);
        assertThat(db.count("SELECT count(*) FROM inbox_event WHERE attempts = 2")).as("reclaimed events")
                .isGreaterThanOrEqualTo(leftLeased);
        assertThat(db.count("SELECT count(*) FROM probe_effect WHERE worker = 'survivor'")).isPositive();
    }

    @Test
    void a_worker_frozen_past_its_lease_cannot_commit_when_it_wakes_up() {
        try (Probes probes = new Probes(db.database().jdbi())) {
            probes.appendMany("z", 200, 100);
        }
        gate("zombie", false);
        JavaProcess zombie = worker("zombie");
        awaitHoldingEvents(zombie);
        zombie.signal("STOP");
        List<Long> frozen = db.rows("SELECT id FROM inbox_event WHERE status = 'processing'").stream()
                .map(r -> ((Number) r.get("id")).longValue()).toList();

        JavaProcess rescuer = worker("rescuer");
        Inbox.awaitDrained(db, Duration.ofSeconds(60));
        gate("zombie", true);
        zombie.signal("CONT");
        stopGracefully(zombie); // it wakes up, finishes its batch, and must fail to commit it
        stopGracefully(rescuer);

        assertThat(frozen).isNotEmpty();
        assertExactlyOnce(200);
        assertThat(db.count("SELECT count(*) FROM probe_effect WHERE worker = 'zombie' AND event_id = ANY(?)",
                (Object) frozen.toArray(Long[]::new))).as("the zombie's writes on events it lost").isZero();
    }

    /** SIGTERM: the JVM runs the shutdown hook (exit status 143) and the worker leaves no lease behind. */
    private void stopGracefully(JavaProcess child) {
        assertThat(child.terminate(Duration.ofSeconds(60))).as(child.output()).isEqualTo(143);
        assertThat(db.count("SELECT count(*) FROM inbox_event WHERE status = 'processing' AND lease_owner LIKE ?",
                "%/" + child.pid() + "/%")).isZero();
        assertThat(db.count("SELECT count(*) FROM inbox_worker WHERE pid = ? AND status <> 'stopped'", child.pid())).isZero();
    }

    /** Closes (or opens) the gate that holds a probe worker's batches mid-transaction. */
    private void gate(String worker, boolean open) {
        db.execute("INSERT INTO probe_gate (worker, open) VALUES ('" + worker + "', " + open + ") "
                + "ON CONFLICT (worker) DO UPDATE SET open = EXCLUDED.open");
    }

    private void awaitHoldingEvents(JavaProcess child) {
        await().atMost(Duration.ofSeconds(60)).until(() -> db.count(
                "SELECT count(*) FROM inbox_event WHERE status = 'processing' AND lease_owner LIKE ?",
                "%/" + child.pid() + "/%") > 0);
    }

    /** Waits until each process's workers report in, so that the burst finds them all ready. */
    private void awaitWorkersOf(JavaProcess... children) {
        await().atMost(Duration.ofSeconds(60)).until(() -> db.count(
                "SELECT count(DISTINCT pid) FROM inbox_worker WHERE status IN ('idle', 'running')") == children.length);
    }

    private void assertExactlyOnce(int events) {
        assertThat(db.count("SELECT count(*) FROM inbox_event WHERE status = 'done'")).isEqualTo(events);
        assertThat(db.count("SELECT count(*) FROM probe_effect")).isEqualTo(events);
        assertThat(db.count("SELECT count(DISTINCT event_id) FROM probe_effect")).isEqualTo(events);
    }
}
