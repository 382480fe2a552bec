-- One row per webhook. A request that carried one event is stored in that event's row: the row keeps the request's
-- kept headers and its exact body, and no webhook_request row is written. webhook_request keeps the rest: requests
-- that carried several events (their rows point at it with request_id) and every delivery of an event already
-- stored, so each delivery is still kept for audit.
-- payload is now NULL for events a worker reads from their request's body (WhatsApp's); jobs and the sources
-- that store a payload of their own keep theirs.
ALTER TABLE inbox_event
    ALTER COLUMN payload DROP NOT NULL,
    ADD COLUMN headers json,
    ADD COLUMN body bytea,
    ADD CONSTRAINT inbox_event_request_whole CHECK ((headers IS NULL) = (body IS NULL));

-- Every request as it arrived, wherever it is kept.
CREATE VIEW webhook_delivery AS
SELECT id, source, received_at, headers, body FROM webhook_request
UNION ALL
SELECT request_id, source, received_at, headers, body FROM inbox_event WHERE body IS NOT NULL;

-- The API's view of the inbox (V12) again, now with the body an event was stored as, wherever it is kept.
DROP VIEW business_inbox_event;
CREATE VIEW business_inbox_event WITH (security_barrier = true) AS
SELECT e.id, e.source, e.partition_key, e.dedup_key, e.event_type, e.payload, e.request_id, e.status, e.attempts,
       e.received_at, e.next_attempt_at, e.lease_owner, e.lease_token, e.lease_expires_at, e.processed_at, e.dead_at,
       e.last_error, e.replay_count,
       CASE WHEN e.payload IS NULL THEN coalesce(e.body, (SELECT r.body FROM webhook_request r WHERE r.id = e.request_id))
       END AS request_body,
       coalesce(CASE WHEN e.source IN ('outbound', 'commerce') THEN e.partition_key::bigint END, c.business_id, d.id)
           AS business_id
FROM inbox_event e
LEFT JOIN channel c ON c.kind = e.source AND c.account_id = e.partition_key
CROSS JOIN (SELECT id FROM business WHERE name = 'default') d
WHERE coalesce(CASE WHEN e.source IN ('outbound', 'commerce') THEN e.partition_key::bigint END, c.business_id, d.id)
      = ANY (steadfast_businesses());

GRANT SELECT ON business_inbox_event TO steadfast_app;
