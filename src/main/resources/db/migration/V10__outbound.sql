-- Messages a business sends. Accepting one stores it 'queued' with its send job (an inbox event) in one transaction;
-- a worker marks it 'sending' in a committed transaction before it calls the provider, so a job that finds it
-- 'sending' knows a call may have gone out, and makes it 'unknown' instead of calling again.

CREATE TABLE outbound_message (
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    business_id         bigint      NOT NULL REFERENCES business (id),
    channel             text        NOT NULL,
    sender              text        COLLATE "C" NOT NULL,  -- WhatsApp phone_number_id, SMS number, email address
    recipient           text        COLLATE "C" NOT NULL,
    subject             text,
    body                text        NOT NULL,
    status              text        NOT NULL DEFAULT 'queued',
    provider_message_id text        COLLATE "C",           -- the wamid, Twilio's MessageSid, the SMTP Message-ID
    error_code          text,
    error_message       text,
    attempts            integer     NOT NULL DEFAULT 0,     -- provider calls that were refused before sending
    created_at          timestamptz NOT NULL DEFAULT now(),
    sending_at          timestamptz,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id),
    CONSTRAINT outbound_message_channel CHECK (channel IN ('whatsapp', 'sms', 'email')),
    CONSTRAINT outbound_message_status CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'unknown')),
    CONSTRAINT outbound_message_error CHECK (status <> 'failed' OR error_message IS NOT NULL)
);

CREATE UNIQUE INDEX outbound_message_provider_id ON outbound_message (business_id, channel, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX outbound_message_by_status ON outbound_message (business_id, status, id);

-- The first answer to each Idempotency-Key of a business, with a hash of the request it answered: a repeat gets the
-- same answer, the same key with another request a 422.
CREATE TABLE idempotency_key (
    business_id     bigint      NOT NULL REFERENCES business (id),
    key             text        COLLATE "C" NOT NULL,
    request_hash    bytea       NOT NULL,
    response_status integer,
    response_body   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, key)
);

ALTER TABLE outbound_message ENABLE ROW LEVEL SECURITY;
CREATE POLICY outbound_message_of_business ON outbound_message USING (business_id = ANY (steadfast_businesses()));
ALTER TABLE idempotency_key ENABLE ROW LEVEL SECURITY;
CREATE POLICY idempotency_key_of_business ON idempotency_key USING (business_id = ANY (steadfast_businesses()));

-- Send jobs are inbox events of source 'outbound' whose partition key is their business's id: the API's view of the
-- inbox shows each business its own.
CREATE OR REPLACE VIEW business_inbox_event WITH (security_barrier = true) AS
SELECT e.*, coalesce(CASE WHEN e.source = 'outbound' THEN e.partition_key::bigint END, c.business_id, d.id) AS business_id
FROM inbox_event e
LEFT JOIN channel c ON c.kind = e.source AND c.account_id = e.partition_key
CROSS JOIN (SELECT id FROM business WHERE name = 'default') d
WHERE coalesce(CASE WHEN e.source = 'outbound' THEN e.partition_key::bigint END, c.business_id, d.id)
      = ANY (steadfast_businesses());
