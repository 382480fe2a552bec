package io.steadfast.outbound;

/** A provider that sends messages of one channel. Calls may block; each is bounded by the provider's time limit. */
public interface Provider {
    SendOutcome send(OutboundMessage message);
}
