package io.steadfast.inbox;

/**
 * An event parsed from a webhook, not yet stored. {@code (source, partitionKey, dedupKey)} identifies it: a second
 * event with the same three is a duplicate and is not stored again.
 */
public record NewEvent(String source, String partitionKey, String dedupKey, String eventType, String payload) {

    String key() {
        return source + '\u0000' + partitionKey + '\u0000' + dedupKey;
    }
}
