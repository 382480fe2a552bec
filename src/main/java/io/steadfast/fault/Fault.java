package io.steadfast.fault;

import io.steadfast.error.InvalidRequestException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A fault the chaos suite can switch on for a while; its value means what the name says. */
public enum Fault {
    WEBHOOK_500_BEFORE_COMMIT,
    WEBHOOK_500_AFTER_COMMIT,
    HANDLER_DELAY_MS,
    /** The percentage of store orders that fail after taking their stock, before commit. */
    CHECKOUT_FAIL_PERCENT;

    public String id() {
        return name().toLowerCase();
    }

    public static Fault parse(String id) {
        return Arrays.stream(values()).filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> InvalidRequestException.badRequest("unknown fault '" + id + "'; one of: "
                        + Arrays.stream(values()).map(Fault::id).collect(Collectors.joining(", "))));
    }
}
