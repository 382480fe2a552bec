package io.steadfast.whatsapp;

/** Names WhatsApp events carry in the inbox. */
public final class WhatsApp {
    public static final String SOURCE = "whatsapp";
    public static final String MESSAGE_EVENT = "whatsapp.message";
    public static final String STATUS_EVENT = "whatsapp.status";
    public static final String NOTIFICATION_OBJECT = "whatsapp_business_account";
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    private WhatsApp() {
    }
}
