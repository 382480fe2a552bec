package io.steadfast.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.db.DatabaseUrl;
import io.steadfast.support.Db;
import io.steadfast.support.Inbox;
import io.steadfast.support.ProbeHandler;
import io.steadfast.support.Probes;
import io.steadfast.support.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/** Many workers over one inbox: every event applied exactly once, nothing left leased, no errors. */
class RacingWorkersTest {
    static final int EVENTS = 10_000;
    static final int WORKERS = 8;
    static Db db;
    static Jdbi jdbi;

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

    @RepeatedTest(3)
    void eight_workers_apply_ten_thousand_events_exactly_once() {
        db.execute("TRUNCATE probe_effect, inbox_event, webhook_request CASCADE");
        try (Probes probes = new Probes(jdbi)) {
            probes.appendMany("e", EVENTS, 100);
        }
        Wakeup wakeup = new Wakeup();
        WorkerSettings settings = new WorkerSettings(100, Duration.ofSeconds(30), 5, Duration.ofMillis(50), Duration.ofMillis(10));
        Workers workers = new Workers(WORKERS, jdbi, Map.of(ProbeHandler.TYPE, new ProbeHandler("w")), settings,
                Clock.systemUTC(), wakeup, new GiveWay(), new SimpleMeterRegistry());
        try {
            Inbox.awaitDrained(db);
        } finally {
            workers.close();
        }

        assertThat(db.count("SELECT count(*) FROM probe_effect")).isEqualTo(EVENTS);
        assertThat(db.count("SELECT count(DISTINCT event_id) FROM probe_effect")).isEqualTo(EVENTS);
        assertThat(db.count("SELECT count(*) FROM inbox_event WHERE status = 'done' AND lease_token IS NULL")).isEqualTo(EVENTS);
        assertThat(workers.list()).allSatisfy(w -> assertThat(w.errorsCount()).isZero());
        assertThat(workers.list().stream().mapToLong(Worker::processedCount).sum()).isEqualTo(EVENTS);
        assertThat(workers.list().stream().filter(w -> w.processedCount() > 0).count())
                .as("the work was shared").isGreaterThan(1);
    }
}
