package io.steadfast.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.db.Database;
import io.steadfast.db.DatabaseUrl;
import io.steadfast.support.Db;
import io.steadfast.support.ProbeHandler;
import io.steadfast.support.Probes;
import io.steadfast.support.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Idle workers learn of new events from PostgreSQL NOTIFY, sent by whichever node committed them. */
class WakeupTest {

    @Test
    void a_worker_polling_once_a_minute_is_woken_by_a_commit_on_another_connection() {
        DatabaseUrl url = TestPostgres.freshDatabase();
        try (Db db = new Db(url); Database workerSide = Database.connect(url, 4, "worker-side")) {
            db.execute(ProbeHandler.CREATE_TABLE);
            Wakeup wakeup = new Wakeup();
            wakeup.listenTo(workerSide);
            WorkerSettings slowPoll = new WorkerSettings(10, Duration.ofSeconds(30), 3, Duration.ofMinutes(1), Duration.ofSeconds(1));
            try (Workers workers = new Workers(1, workerSide.jdbi(), Map.of(ProbeHandler.TYPE, new ProbeHandler("w")),
                    slowPoll, Clock.systemUTC(), wakeup, new GiveWay(), new SimpleMeterRegistry());
                 Probes otherNode = new Probes(db.database().jdbi())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> workers.list().getFirst().status() == WorkerStatus.IDLE
                        && db.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'steadfast-listener' "
                        + "AND query LIKE 'LISTEN%'") == 1);
                long before = System.nanoTime();
                otherNode.appendMany("n", 1, 1);

                await().atMost(Duration.ofSeconds(10)).until(() -> db.count("SELECT count(*) FROM probe_effect") == 1);
                assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
            } finally {
                wakeup.close();
            }
        }
    }
}
