package io.steadfast.support;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.inbox.AppendResult;
import io.steadfast.inbox.Appender;
import io.steadfast.inbox.IncomingRequest;
import io.steadfast.inbox.NewEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Appends probe events straight into the inbox, through the production appender. */
public final class Probes implements AutoCloseable {
    private final Appender appender;
    private final java.time.Clock clock;

    public Probes(Jdbi jdbi) {
        this(jdbi, java.time.Clock.systemUTC());
    }

    public Probes(Jdbi jdbi, java.time.Clock clock) {
        this.clock = clock;
        this.appender = new Appender(jdbi, Duration.ofSeconds(30), new SimpleMeterRegistry(), () -> { });
    }

    public static NewEvent event(String key, String payload) {
        return new NewEvent("probe", "p", key, ProbeHandler.TYPE, payload);
    }

    public AppendResult append(List<NewEvent> events) {
        return append(new byte[0], events);
    }

    /** The events of a request with this body, as a webhook endpoint appends them. */
    public AppendResult append(byte[] body, List<NewEvent> events) {
        return appender.append(new IncomingRequest(UUID.randomUUID(), "probe", Map.of(), body, clock.instant()), events);
    }

    /** Appends {@code count} plain probes named {@code prefix0..}, in requests of {@code perRequest}. */
    public void appendMany(String prefix, int count, int perRequest) {
        List<NewEvent> chunk = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunk.add(event(prefix + i, "{}"));
            if (chunk.size() == perRequest || i == count - 1) {
                append(chunk);
                chunk = new ArrayList<>();
            }
        }
    }

    @Override
    public void close() {
        appender.close();
    }
}
