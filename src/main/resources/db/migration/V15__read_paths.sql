-- The read paths of the dashboard: message search over text, and message counts over time.

-- Full-text search in any language: the 'simple' configuration lower-cases words and keeps every one (no stemming,
-- no stop words), and needs nothing beyond PostgreSQL itself.
CREATE INDEX message_text_search ON message USING gin (to_tsvector('simple', coalesce(text, '')));
CREATE INDEX outbound_message_text_search ON outbound_message USING gin (to_tsvector('simple', body));

-- A business's messages by time, newest or oldest first, for search results and analytics.
CREATE INDEX message_by_time ON message (business_id, provider_timestamp, arrival_seq);
CREATE INDEX outbound_message_by_time ON outbound_message (business_id, created_at, id);
