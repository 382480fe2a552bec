package io.steadfast.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.messaging.Channel;
import io.steadfast.messaging.MessageWrites;
import io.steadfast.messaging.StatusReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** A delivery status (sent, delivered, read, failed) for a message; it only ever moves the message forward. */
public final class StatusHandler implements EventHandler {
    private final boolean autoRegisterChannels;

    public StatusHandler(boolean autoRegisterChannels) {
        this.autoRegisterChannels = autoRegisterChannels;
    }

    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        List<JsonNode> payloads = events.stream().map(EventPayloads::read).toList();
        Map<String, Channel> channels = EventPayloads.channels(tx, payloads, autoRegisterChannels);
        List<StatusReport> reports = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            JsonNode payload = payloads.get(i);
            JsonNode status = payload.path("status");
            JsonNode errors = status.get("errors");
            reports.add(new StatusReport(
                    channels.get(payload.path("phone_number_id").asText()),
                    status.path("id").asText(),
                    status.path("status").asText(),
                    status.path("recipient_id").asText(null),
                    errors == null || errors.isNull() ? null : errors.toString(),
                    Instant.ofEpochSecond(status.path("timestamp").asLong()),
                    events.get(i).id()));
        }
        MessageWrites.applyStatuses(tx, reports);
    }
}
