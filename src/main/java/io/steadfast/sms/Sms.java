package io.steadfast.sms;

/** Names SMS events carry in the inbox. */
public final class Sms {
    public static final String SOURCE = "sms";
    public static final String MESSAGE_EVENT = "sms.message";
    public static final String STATUS_EVENT = "sms.status";
    public static final String SIGNATURE_HEADER = "X-Twilio-Signature";

    private Sms() {
    }
}
