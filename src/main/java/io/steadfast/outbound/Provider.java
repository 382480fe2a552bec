package io.steadfast.outbound;

import java.util.Optional;

/** A provider that sends messages of one channel. Calls may block; each is bounded by the provider's time limit. */
public interface Provider {
    SendOutcome send(OutboundMessage message);

    /**
     * What the provider says now of a message it took, for providers that can be asked (Twilio); empty when it cannot
     * tell, or did not answer.
     */
    default Optional<Report> lookUp(OutboundMessage message) {
        return Optional.empty();
    }

    /** A provider's word on one message: its status, and the provider's code and text when it failed. */
    record Report(OutboundStatus status, String errorCode, String errorMessage) {
    }
}
