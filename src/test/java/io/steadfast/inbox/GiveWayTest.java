package io.steadfast.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.support.Db;
import io.steadfast.support.ProbeHandler;
import io.steadfast.support.Probes;
import io.steadfast.support.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Workers pause between batches while webhooks wait long for their commits, and never stop applying. */
class GiveWayTest {
    private static final long MS = 1_000_000;

    @Test
    void quick_commits_on_an_idle_machine_cost_the_workers_nothing() {
        GiveWay giveWay = new GiveWay(() -> 0.3);
        long now = System.nanoTime();
        giveWay.committed(GiveWay.SLOW_ACK.toNanos() - MS, now);
        assertThat(giveWay.pauseAfterBatch(now + MS)).isZero();
    }

    @Test
    void a_busy_machine_makes_workers_pause_only_while_webhooks_arrive() {
        GiveWay giveWay = new GiveWay(() -> 0.95);
        long now = System.nanoTime();
        assertThat(giveWay.pauseAfterBatch(now)).as("no webhook yet: the CPU is the workers' own").isZero();
        giveWay.committed(MS, now);
        assertThat(giveWay.pauseAfterBatch(now + MS)).isEqualTo(GiveWay.FIRST_PAUSE.toNanos());
        long later = now + GiveWay.RECENT.toNanos() * 10;
        assertThat(giveWay.pauseAfterBatch(later)).as("webhooks stopped: nothing to give way to").isZero();
    }

    @Test
    void the_pause_doubles_while_acks_are_slow_up_to_its_cap_then_fades() {
        GiveWay giveWay = new GiveWay(() -> 0.3);
        long now = 0;
        List<Long> pauses = new ArrayList<>();
        for (int batch = 0; batch < 10; batch++) {
            now += 50 * MS;
            giveWay.committed(GiveWay.SLOW_ACK.toNanos() + MS, now);
            pauses.add(giveWay.pauseAfterBatch(now + MS) / MS);
        }
        assertThat(pauses).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L);

        now += GiveWay.RECENT.toNanos() + MS;
        List<Long> fading = new ArrayList<>();
        for (int batch = 0; batch < 10; batch++) {
            giveWay.committed(MS, now); // webhooks still arrive, acknowledged quickly
            fading.add(giveWay.pauseAfterBatch(now + MS) / MS);
        }
        assertThat(fading).containsExactly(500L, 250L, 125L, 62L, 31L, 15L, 7L, 3L, 1L, 0L);
    }

    @Test
    void the_pause_ends_when_webhooks_stop() {
        GiveWay giveWay = new GiveWay(() -> 0.3);
        long now = 0;
        for (int batch = 0; batch < 8; batch++) {
            giveWay.committed(GiveWay.SLOW_ACK.toNanos() + MS, now);
            giveWay.pauseAfterBatch(now);
        }
        assertThat(giveWay.webhooksArriving(now + GiveWay.RECENT.toNanos() - MS)).isTrue();
        assertThat(giveWay.webhooksArriving(now + GiveWay.RECENT.toNanos() + MS)).isFalse();
        assertThat(giveWay.pauseAfterBatch(now + GiveWay.RECENT.toNanos() + MS)).isZero();
    }

    @Test
    void workers_giving_way_to_slow_acks_still_apply_every_event() throws Exception {
        try (Db db = new Db(TestPostgres.freshDatabase())) {
            db.execute(ProbeHandler.CREATE_TABLE);
            GiveWay giveWay = new GiveWay(() -> 0.3);
            ScheduledExecutorService slowAcks = Executors.newSingleThreadScheduledExecutor();
            slowAcks.scheduleAtFixedRate(() -> giveWay.committed(GiveWay.SLOW_ACK.toNanos() * 5, System.nanoTime()),
                    0, 10, TimeUnit.MILLISECONDS);
            WorkerSettings settings = new WorkerSettings(20, Duration.ofSeconds(30), 3, Duration.ofMillis(50),
                    Duration.ofMillis(10));
            try (Probes probes = new Probes(db.database().jdbi());
                 Workers workers = new Workers(2, db.database().jdbi(), Map.of(ProbeHandler.TYPE, new ProbeHandler("w")),
                         settings, Clock.systemUTC(), new Wakeup(), giveWay, new SimpleMeterRegistry())) {
                probes.appendMany("k", 300, 1);

                await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM probe_effect") == 300);
                long gaveWayMs = workers.list().stream().mapToLong(Worker::givingWayNanos).sum() / MS;
                assertThat(gaveWayMs).as("15 batches, most after a pause of up to a second").isGreaterThan(1_000);
                assertThat(db.count("SELECT count(*) FROM inbox_event WHERE status = 'done'")).isEqualTo(300);
            } finally {
                slowAcks.shutdownNow();
            }
        }
    }
}
