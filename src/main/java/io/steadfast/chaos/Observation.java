package io.steadfast.chaos;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the deployment holds for a scenario, read back through its API after the drain: the inbox events of the
 * scenario's provider accounts, the messages by provider id, and each conversation's messages in read order.
 */
public record Observation(List<StoredEvent> events, Map<String, List<StoredMessage>> messagesByWamid,
                          List<List<StoredMessage>> conversations) {

    /** An inbox event: its dedup key and where it stands. */
    public record StoredEvent(long id, String partition, String key, String status, String lastError) {
    }

    /** A message row as the API shows it. */
    public record StoredMessage(String wamid, long conversationId, String status, Instant providerTimestamp) {
    }
}
