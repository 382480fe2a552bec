-- The read paths of the dashboard: message search over text, and message counts over time.

-- Full-text search in any language: the 'simple' configuration lower-cases words and keeps every one (no stemming,
-- no stop words). The index holds each message's words qualified by its business ('42:refund'), so a search reads
-- only its business's entries of each word, not every business's; the full query (phrases, exclusions) is then
-- checked on those few rows.
CREATE FUNCTION steadfast_search_terms(business bigint, content text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ARRAY(SELECT business || ':' || lexeme FROM unnest(to_tsvector('simple', coalesce(content, '')))) $$;

CREATE INDEX message_text_search ON message USING gin (steadfast_search_terms(business_id, text));
CREATE INDEX outbound_message_text_search ON outbound_message USING gin (steadfast_search_terms(business_id, body));

-- A business's messages by time, newest or oldest first, for search results and analytics.
CREATE INDEX message_by_time ON message (business_id, provider_timestamp, arrival_seq);
CREATE INDEX outbound_message_by_time ON outbound_message (business_id, created_at, id);

-- The search itself. Under row-level security PostgreSQL applies the policy before any condition whose operator is
-- not leak-proof, and no text search or array operator is: the words would be checked row by row on all of the
-- business's messages instead of through the index (226 ms for 4,000 messages, measured). This function runs as the
-- owner, so the planner may use the index, and keeps the policy's promise itself: it reads one business, and only
-- one the calling transaction acts for.
CREATE FUNCTION steadfast_search_messages(p_business bigint, p_query text, p_required text, p_before_at timestamptz,
                                          p_before_seq bigint, p_limit integer)
    RETURNS TABLE (id bigint, conversation_id bigint, external_id text, direction text, type text, text text,
                   status text, status_errors text, provider_timestamp timestamptz, arrival_seq bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT * FROM (
        (SELECT m.id, m.conversation_id, m.external_id, m.direction, m.type, m.text, m.status,
                m.status_errors::text, m.provider_timestamp, m.arrival_seq
         FROM message m
         WHERE m.business_id = p_business AND p_business = ANY (steadfast_businesses())
           AND steadfast_search_terms(m.business_id, m.text) @> steadfast_search_terms(p_business, p_required)
           AND to_tsvector('simple', coalesce(m.text, '')) @@ websearch_to_tsquery('simple', p_query)
           AND (m.provider_timestamp, m.arrival_seq) < (p_before_at, p_before_seq)
         ORDER BY m.provider_timestamp DESC, m.arrival_seq DESC
         LIMIT p_limit)
        UNION ALL
        (SELECT o.id, o.conversation_id, o.provider_message_id, 'outbound', 'text', o.body, o.status,
                CASE WHEN o.status = 'failed'
                     THEN json_build_array(json_build_object('code', o.error_code, 'message', o.error_message))::text
                END,
                o.created_at, -o.id
         FROM outbound_message o
         WHERE o.business_id = p_business AND p_business = ANY (steadfast_businesses())
           AND steadfast_search_terms(o.business_id, o.body) @> steadfast_search_terms(p_business, p_required)
           AND to_tsvector('simple', o.body) @@ websearch_to_tsquery('simple', p_query)
           AND (o.created_at, -o.id) < (p_before_at, p_before_seq)
         ORDER BY o.created_at DESC, o.id
         LIMIT p_limit)
    ) both_directions
    ORDER BY provider_timestamp DESC, arrival_seq DESC
    LIMIT p_limit
$$;

REVOKE ALL ON FUNCTION steadfast_search_messages(bigint, text, text, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION steadfast_search_messages(bigint, text, text, timestamptz, bigint, integer) TO steadfast_app;
