package io.steadfast.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.messaging.Channel;
import io.steadfast.messaging.Channels;
import io.steadfast.messaging.MessageWrites;
import io.steadfast.messaging.StatusReport;
import io.steadfast.outbound.OutboundStatus;
import io.steadfast.outbound.ProviderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        ProviderStatus.applyAll(tx, outboundReports(payloads, channels));
    }

    /** The same reports, for the messages this deployment sent: by wamid, or by our id in biz_opaque_callback_data. */
    private static List<ProviderStatus> outboundReports(List<JsonNode> payloads, Map<String, Channel> channels) {
        List<ProviderStatus> reports = new ArrayList<>();
        for (JsonNode payload : payloads) {
            JsonNode status = payload.path("status");
            Channel channel = channels.get(payload.path("phone_number_id").asText());
            Optional<OutboundStatus> next = switch (status.path("status").asText()) {
                case "sent" -> Optional.of(OutboundStatus.SENT);
                case "delivered" -> Optional.of(OutboundStatus.DELIVERED);
                case "read" -> Optional.of(OutboundStatus.READ);
                case "failed" -> Optional.of(OutboundStatus.FAILED);
                default -> Optional.empty();
            };
            if (channel == null || next.isEmpty()) {
                continue;
            }
            String callback = status.path("biz_opaque_callback_data").asText("");
            JsonNode error = status.path("errors").path(0);
            reports.add(new ProviderStatus(channel.businessId(), Channels.WHATSAPP, channel.accountId(),
                    status.path("id").asText(), callback.matches("\\d{1,18}") ? Optional.of(Long.parseLong(callback)) : Optional.empty(),
                    next.get(), error.path("code").asText("failed"),
                    error.path("message").asText(error.path("title").asText("the provider reported a failure"))));
        }
        return reports;
    }
}
