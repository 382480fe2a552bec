package io.steadfast.simulator;

import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.simulator.WhatsAppPayloads.Status;
import io.steadfast.whatsapp.Signature;
import io.steadfast.whatsapp.WhatsApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One webhook request as the provider sends it, possibly carrying several messages and statuses. {@code keys} are
 * the inbox dedup keys of its events: a message's wamid, a status's {@code wamid:status}.
 */
public record Delivery(String id, String phoneNumberId, List<Message> messages, List<Status> statuses, byte[] body)
        implements Sendable {

    public static Delivery of(String id, String phoneNumberId, List<Message> messages, List<Status> statuses) {
        byte[] body = new WhatsAppPayloads(phoneNumberId, "+1 555 0100").notification(messages, statuses);
        return new Delivery(id, phoneNumberId, List.copyOf(messages), List.copyOf(statuses), body);
    }

    @Override
    public String path() {
        return "/webhooks/whatsapp";
    }

    @Override
    public Map<String, String> headers(Secrets secrets) {
        return Map.of(WhatsApp.SIGNATURE_HEADER, new Signature(secrets.whatsappAppSecret()).sign(body));
    }

    @Override
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        messages.forEach(m -> keys.add(m.wamid()));
        statuses.forEach(s -> keys.add(statusKey(s)));
        return keys;
    }

    public static String statusKey(Status s) {
        return s.wamid() + ":" + s.status();
    }
}
