package io.steadfast.simulator;

import java.util.List;
import java.util.Map;

/** A webhook request the provider simulator can send: where to, what, signed how, and which events it carries. */
public interface Sendable {
    String id();

    /** The inbox dedup keys of the events it carries. */
    List<String> keys();

    String path();

    byte[] body();

    /** Every header but Content-Type, signed with the deployment's secrets. */
    Map<String, String> headers(Secrets secrets);

    /** What the simulator signs with. */
    record Secrets(String whatsappAppSecret, String shopifySecret) {
    }
}
