package io.steadfast.inbox;

import io.steadfast.error.SteadfastException;

/** A handler's verdict that retrying cannot help: the event goes to the dead letters with this message. */
public class PermanentFailure extends SteadfastException {
    public PermanentFailure(String message) {
        super("permanent_failure", 422, message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super("permanent_failure", 422, message, cause);
    }
}
