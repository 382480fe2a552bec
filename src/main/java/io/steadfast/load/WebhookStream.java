package io.steadfast.load;

import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.whatsapp.Signature;
import io.steadfast.whatsapp.WhatsApp;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An endless stream of distinct, signed WhatsApp notifications, one text message each, from a fixed pool of
 * customers. Built from one template by string splicing, so the load generator spends little CPU per request.
 */
public final class WebhookStream {
    private static final String WAMID = "@@WAMID@@";
    private static final String WA_ID = "@@WAID@@";
    private static final String TIMESTAMP = "1700000000";

    private final String[] parts;
    private final Signature signature;
    private final String run;
    private final int customers;

    public WebhookStream(String appSecret, String run, int customers) {
        this.signature = new Signature(appSecret);
        this.run = run;
        this.customers = customers;
        String template = new String(new WhatsAppPayloads("100200300400", "15550001111").messages(List.of(
                new WhatsAppPayloads.Message(WAMID, WA_ID, "Load Tester", Long.parseLong(TIMESTAMP),
                        "Hello, is this still available?"))), StandardCharsets.UTF_8);
        this.parts = template.split(WAMID + "|" + WA_ID + "|" + TIMESTAMP, -1);
    }

    /** The n-th webhook: message {@code wamid.<run>.<n>} from customer {@code n % customers}. */
    public LoadClient.Call webhook(long n) {
        String waId = "4917" + (10_000_000 + n % customers);
        // template order: wa_id (contact), wa_id (from), wamid, timestamp
        String body = parts[0] + waId + parts[1] + waId + parts[2] + "wamid." + run + "." + n + parts[3]
                + (1_700_000_000L + n) + parts[4];
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new LoadClient.Call("/webhooks/whatsapp", bytes, WhatsApp.SIGNATURE_HEADER, signature.sign(bytes));
    }
}
