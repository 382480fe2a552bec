package io.steadfast.outbound;

import io.steadfast.db.Columns;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * A provider's report on a message we sent (a WhatsApp status webhook), applied forward only. It names the message by
 * the provider's id or by ours (WhatsApp's {@code biz_opaque_callback_data}), so it settles a message whose send
 * answer never came ({@code unknown}) and records the provider's id if we did not have it.
 */
public record ProviderStatus(long businessId, String channel, String sender, String providerMessageId,
                             Optional<Long> ourId, OutboundStatus status, String errorCode, String errorMessage) {

    /**
     * Applies each report to the message it names, if any, in one statement; of several reports on one message in the
     * batch, the furthest applies. Any report is heard ({@code status_at}), even one that does not move the message.
     * Reports on messages we did not send change nothing.
     */
    public static void applyAll(Handle tx, List<ProviderStatus> reports) {
        if (reports.isEmpty()) {
            return;
        }
        List<Long> businessIds = new java.util.ArrayList<>();
        List<Long> ids = new java.util.ArrayList<>();
        tx.createQuery("""
                        WITH r AS (
                            SELECT * FROM unnest(:business_ids, :channels, :senders, :provider_ids, :our_ids, :statuses,
                                                 :priorities, :allowed_from, :error_codes, :error_messages)
                                AS r(business_id, channel, sender, provider_id, our_id, status, priority, allowed_from,
                                     error_code, error_message)
                        ), best AS (
                            SELECT DISTINCT ON (o.business_id, o.id) o.business_id AS target_business, o.id AS target_id,
                                   r.status, r.provider_id, r.error_code, r.error_message,
                                   o.status = ANY (string_to_array(r.allowed_from, ',')) AS moves
                            FROM r JOIN outbound_message o
                              ON o.business_id = r.business_id AND o.channel = r.channel AND o.sender = r.sender
                             AND (o.provider_message_id = r.provider_id OR o.id = r.our_id)
                            ORDER BY o.business_id, o.id, r.priority DESC
                        )
                        UPDATE outbound_message o
                        SET status = CASE WHEN best.moves THEN best.status ELSE o.status END,
                            provider_message_id = coalesce(o.provider_message_id, best.provider_id),
                            error_code = CASE WHEN best.moves AND best.status = 'failed' THEN best.error_code
                                              ELSE o.error_code END,
                            error_message = CASE WHEN best.moves AND best.status = 'failed' THEN best.error_message
                                                 WHEN best.moves THEN NULL ELSE o.error_message END,
                            sent_at = coalesce(o.sent_at, now()), status_at = now(), updated_at = now()
                        FROM best
                        WHERE o.business_id = best.target_business AND o.id = best.target_id
                        RETURNING o.business_id, o.id, best.moves
                        """)
                .bindArray("business_ids", Long.class, Columns.of(reports, ProviderStatus::businessId))
                .bindArray("channels", String.class, Columns.of(reports, ProviderStatus::channel))
                .bindArray("senders", String.class, Columns.of(reports, ProviderStatus::sender))
                .bindArray("provider_ids", String.class, Columns.of(reports, ProviderStatus::providerMessageId))
                .bindArray("our_ids", Long.class, Columns.of(reports, r -> r.ourId().orElse(-1L)))
                .bindArray("statuses", String.class, Columns.of(reports, r -> r.status().sql()))
                .bindArray("priorities", Integer.class, Columns.of(reports, r -> r.status().batchPriority()))
                .bindArray("allowed_from", String.class, Columns.of(reports, r -> String.join(",",
                        Arrays.stream(OutboundStatus.values()).filter(s -> s.mayBecome(r.status()))
                                .map(OutboundStatus::sql).toList())))
                .bindArray("error_codes", String.class, Columns.of(reports, ProviderStatus::errorCode))
                .bindArray("error_messages", String.class, Columns.of(reports, ProviderStatus::errorMessage))
                .map((rs, ctx) -> rs.getBoolean("moves") && businessIds.add(rs.getLong(1)) && ids.add(rs.getLong(2)))
                .list();
        OutboundMessages.changed(tx, businessIds, ids);
    }
}
