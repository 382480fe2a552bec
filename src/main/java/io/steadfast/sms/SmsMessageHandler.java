package io.steadfast.sms;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.json.Json;
import io.steadfast.messaging.Channel;
import io.steadfast.messaging.Channels;
import io.steadfast.messaging.InboundMessage;
import io.steadfast.messaging.MessageWrites;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * An SMS a customer sent to one of our numbers: it lands in the conversation of that customer (by phone number, the
 * same customer as on WhatsApp) on that number, as WhatsApp messages do. Twilio gives no send time, so the time it
 * reached us orders it.
 */
public final class SmsMessageHandler implements EventHandler {
    private final boolean autoRegisterChannels;

    public SmsMessageHandler(boolean autoRegisterChannels) {
        this.autoRegisterChannels = autoRegisterChannels;
    }

    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        List<JsonNode> payloads = events.stream().map(e -> Json.parse(e.payload())).toList();
        Map<String, Channel> channels = Channels.resolveAll(tx, Channels.SMS, Sms.ourNumbers(payloads, "To"),
                autoRegisterChannels);
        MessageWrites.insertInbound(tx, java.util.stream.IntStream.range(0, events.size()).mapToObj(i -> {
            JsonNode p = payloads.get(i);
            InboxEvent event = events.get(i);
            return new InboundMessage(channels.get(p.path("To").asText()), p.path("From").asText().replaceFirst("^\\+", ""),
                    null, p.path("MessageSid").asText(), "text", p.path("Body").asText().replace('\u0000', '\uFFFD'),
                    event.payload(), event.receivedAt(), event.id());
        }).toList());
    }
}
