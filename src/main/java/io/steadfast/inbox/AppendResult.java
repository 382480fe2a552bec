package io.steadfast.inbox;

/** What one request added to the inbox: events stored now, and events the inbox already held. */
public record AppendResult(int accepted, int duplicates) {
}
