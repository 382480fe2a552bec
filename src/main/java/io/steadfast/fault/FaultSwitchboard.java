package io.steadfast.fault;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults kept in the database, so that one switch reaches every process that shares it. A process with fault
 * injection on polls the switchboard and hands what is active to its {@link Faults}.
 */
public final class FaultSwitchboard implements AutoCloseable {
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(FaultSwitchboard.class);

    private static final String SWITCH_ON = """
            INSERT INTO fault_injection (name, value, active_until)
            VALUES (:name, :value, now() + make_interval(secs => :seconds))
            ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, active_until = EXCLUDED.active_until
            """;

    private static final String LIST_ACTIVE = """
            SELECT name, value, extract(epoch FROM active_until - now()) AS seconds_left
            FROM fault_injection
            WHERE active_until > now()
            ORDER BY name
            """;

    private final Jdbi jdbi;
    private Thread poller;

    public FaultSwitchboard(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** An active fault and how long it has left. */
    public record ActiveFault(Fault fault, long value, double secondsLeft) {
    }

    public void switchOn(Fault fault, long value, Duration duration) {
        jdbi.useHandle(h -> h.createUpdate(SWITCH_ON)
                .bind("name", fault.id())
                .bind("value", value)
                .bind("seconds", duration.toMillis() / 1000.0)
                .execute());
    }

    public void clear() {
        jdbi.useHandle(h -> h.execute("DELETE FROM fault_injection"));
    }

    public java.util.List<ActiveFault> active() {
        return jdbi.withHandle(h -> h.createQuery(LIST_ACTIVE)
                .map((rs, ctx) -> new ActiveFault(Fault.parse(rs.getString("name")), rs.getLong("value"),
                        rs.getDouble("seconds_left")))
                .list());
    }

    /** Keeps {@code faults} in step with the switchboard until closed. */
    public void feed(Faults faults) {
        poller = Thread.ofPlatform().name("fault-switchboard").daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Map<Fault, Long> now = new EnumMap<>(Fault.class);
                    active().forEach(a -> now.put(a.fault(), a.value()));
                    faults.setActive(now);
                } catch (RuntimeException e) {
                    log.debug("Cannot read the fault switchboard: {}", e.getMessage());
                }
                try {
                    Thread.sleep(POLL_INTERVAL);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.interrupt();
        }
    }
}
