-- The inbox: every webhook request as received, and every event it carried, stored once.
-- Identifiers use COLLATE "C": they compare byte by byte, which is both correct for ids and much cheaper in
-- every index than a language collation.

CREATE TABLE webhook_request (
    id          uuid PRIMARY KEY,
    source      text        NOT NULL,
    received_at timestamptz NOT NULL,
    headers     json        NOT NULL,
    body        bytea       NOT NULL  -- the exact bytes that were signed, so a dispute can re-check the signature
);

CREATE TABLE inbox_event (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source           text        COLLATE "C" NOT NULL,
    partition_key    text        COLLATE "C" NOT NULL,  -- the provider account: WhatsApp phone_number_id, Shopify shop domain
    dedup_key        text        COLLATE "C" NOT NULL,
    event_type       text        NOT NULL,
    payload          json        NOT NULL,  -- json, not jsonb: kept as sent, cheaper to store and to read back
    request_id       uuid        NOT NULL,  -- the webhook_request it came in (same transaction)
    status           text        NOT NULL DEFAULT 'pending',
    attempts         integer     NOT NULL DEFAULT 0,
    received_at      timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    lease_owner      text,
    lease_token      uuid,
    lease_expires_at timestamptz,
    processed_at     timestamptz,
    dead_at          timestamptz,
    last_error       text,
    replay_count     integer     NOT NULL DEFAULT 0,
    CONSTRAINT inbox_event_dedup UNIQUE (source, partition_key, dedup_key),
    CONSTRAINT inbox_event_status CHECK (status IN ('pending', 'processing', 'done', 'dead')),
    CONSTRAINT inbox_event_attempts CHECK (attempts >= 0),
    CONSTRAINT inbox_event_lease_while_processing CHECK (
        (status = 'processing') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL AND lease_owner IS NOT NULL))
);

CREATE INDEX inbox_event_ready ON inbox_event (next_attempt_at) WHERE status = 'pending';
CREATE INDEX inbox_event_leased ON inbox_event (lease_expires_at) WHERE status = 'processing';
CREATE INDEX inbox_event_dead ON inbox_event (dead_at, id) WHERE status = 'dead';

-- Worker processes report here, so any node can show every worker's health.
CREATE TABLE inbox_worker (
    id              text PRIMARY KEY,
    host            text        NOT NULL,
    pid             bigint      NOT NULL,
    status          text        NOT NULL,
    started_at      timestamptz NOT NULL,
    heartbeat_at    timestamptz NOT NULL,
    processed_count bigint      NOT NULL DEFAULT 0,
    errors_count    bigint      NOT NULL DEFAULT 0
);
