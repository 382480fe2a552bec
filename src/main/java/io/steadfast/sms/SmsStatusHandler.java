package io.steadfast.sms;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.db.BusinessScope;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.json.Json;
import io.steadfast.messaging.Channel;
import io.steadfast.messaging.Channels;
import io.steadfast.outbound.OutboundStatus;
import io.steadfast.outbound.ProviderStatus;
import io.steadfast.outbound.SmsCallbacks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Twilio's status callbacks: each moves the message it names forward only. The callback URL names our message (set
 * when it was sent), so a callback settles a message whose send answer never came; without it, the MessageSid and our
 * number do.
 */
public final class SmsStatusHandler implements EventHandler {
    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        List<JsonNode> payloads = events.stream().map(e -> Json.parse(e.payload())).toList();
        Map<String, Channel> channels = Channels.resolve(tx, Channels.SMS, Sms.ourNumbers(payloads, "From"), false);
        List<ProviderStatus> reports = new ArrayList<>();
        for (JsonNode p : payloads) {
            Optional<OutboundStatus> status = SmsCallbacks.status(p.path("MessageStatus").asText());
            JsonNode ours = p.path("steadfast_message");
            Optional<Long> business = ours.has("business_id") ? Optional.of(ours.path("business_id").asLong())
                    : Optional.ofNullable(channels.get(p.path("From").asText())).map(Channel::businessId);
            if (status.isEmpty() || business.isEmpty()) {
                continue; // a status we do not track, or a message this deployment did not send
            }
            reports.add(new ProviderStatus(business.get(), Channels.SMS, p.path("From").asText(),
                    p.path("MessageSid").asText(), ours.has("id") ? Optional.of(ours.path("id").asLong()) : Optional.empty(),
                    status.get(), p.path("ErrorCode").asText("failed"),
                    p.path("ErrorMessage").asText("Twilio reports the message " + p.path("MessageStatus").asText())));
        }
        BusinessScope.actFor(tx, reports.stream().map(ProviderStatus::businessId).distinct().toList());
        ProviderStatus.applyAll(tx, reports);
    }
}
