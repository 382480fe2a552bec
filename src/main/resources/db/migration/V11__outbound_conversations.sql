-- Outbound messages in conversations, on the live feed, and watched for loss.

-- The conversation a message was sent on: it shows there in order with the customer's messages.
ALTER TABLE outbound_message ADD COLUMN conversation_id bigint;
ALTER TABLE outbound_message ADD CONSTRAINT outbound_message_conversation
    FOREIGN KEY (business_id, conversation_id) REFERENCES conversation (business_id, id);
CREATE INDEX outbound_message_in_conversation ON outbound_message (business_id, conversation_id, created_at, id)
    WHERE conversation_id IS NOT NULL;

-- sent_at: when the provider took it; status_at: its last status report from the provider. A message 'sent' with
-- no report for too long, or 'unknown' for too long, is looked for: asked of the provider where it can tell, else
-- left for a person. checked_at: when it was last looked for.
ALTER TABLE outbound_message ADD COLUMN sent_at timestamptz;
ALTER TABLE outbound_message ADD COLUMN status_at timestamptz;
ALTER TABLE outbound_message ADD COLUMN checked_at timestamptz;
CREATE INDEX outbound_message_unsettled ON outbound_message (coalesce(checked_at, sending_at))
    WHERE status IN ('sent', 'unknown') AND status_at IS NULL;

-- Idempotency keys are kept for a while (at least a day), then pruned by age.
CREATE INDEX idempotency_key_by_age ON idempotency_key (created_at);

ALTER TABLE change_log DROP CONSTRAINT change_log_kind;
ALTER TABLE change_log ADD CONSTRAINT change_log_kind CHECK (kind IN ('order', 'message', 'outbound_message'));
