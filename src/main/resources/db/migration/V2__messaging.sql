-- Messaging state built from WhatsApp events. Every domain table carries business_id and every UNIQUE
-- constraint includes it, so the schema can be distributed by business without redesign. Provider ids use
-- COLLATE "C" (byte order), as in the inbox.

CREATE TABLE business (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO business (name) VALUES ('default');

-- Routes a provider account to its business. Looked up by the account id alone, so it is a reference table
-- (replicated to every node when distributed) rather than a business-scoped one.
CREATE TABLE channel (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id          bigint      NOT NULL REFERENCES business (id),
    kind                 text        COLLATE "C" NOT NULL,
    account_id           text        COLLATE "C" NOT NULL,  -- WhatsApp phone_number_id
    display_name         text,                  -- WhatsApp display_phone_number
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT channel_account UNIQUE (kind, account_id),
    CONSTRAINT channel_kind CHECK (kind IN ('whatsapp'))
);

CREATE TABLE customer (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    business_id     bigint      NOT NULL REFERENCES business (id),
    wa_id           text        COLLATE "C" NOT NULL,
    name            text,
    name_updated_at timestamptz,  -- provider time of the event that set the name: the newest one wins
    name_event_id   bigint,       -- tie-break between events with the same provider time
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id),
    CONSTRAINT customer_wa_id UNIQUE (business_id, wa_id)
);

CREATE TABLE conversation (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    business_id     bigint      NOT NULL,
    customer_id     bigint      NOT NULL,
    channel_id      bigint      NOT NULL REFERENCES channel (id),
    last_message_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id),
    CONSTRAINT conversation_participants UNIQUE (business_id, customer_id, channel_id),
    FOREIGN KEY (business_id, customer_id) REFERENCES customer (business_id, id)
);

CREATE INDEX conversation_recent ON conversation (business_id, last_message_at DESC, id DESC);

CREATE TABLE message (
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    business_id        bigint      NOT NULL,
    conversation_id    bigint      NOT NULL,
    external_id        text        COLLATE "C" NOT NULL,  -- the wamid
    direction          text        NOT NULL,
    type               text        NOT NULL,
    text               text,
    raw                json        NOT NULL,  -- the message object as the provider sent it
    status             text        NOT NULL,
    status_rank        integer     NOT NULL,  -- statuses only move to a higher rank
    status_errors      json,
    provider_timestamp timestamptz NOT NULL,
    arrival_seq        bigint      NOT NULL,  -- the inbox event id: breaks ties between equal provider timestamps
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id),
    CONSTRAINT message_external_id UNIQUE (business_id, external_id),
    CONSTRAINT message_direction CHECK (direction IN ('inbound', 'outbound')),
    CONSTRAINT message_status CHECK (status IN ('received', 'sent', 'delivered', 'read', 'failed')),
    FOREIGN KEY (business_id, conversation_id) REFERENCES conversation (business_id, id)
);

CREATE INDEX message_in_order ON message (business_id, conversation_id, provider_timestamp, arrival_seq);

-- Every status report, kept even when its message has not arrived yet: it applies when the message appears.
CREATE TABLE message_status_report (
    business_id        bigint      NOT NULL,
    external_id        text        COLLATE "C" NOT NULL,
    status             text        COLLATE "C" NOT NULL,
    status_rank        integer     NOT NULL,  -- negative for statuses we record but do not act on
    provider_timestamp timestamptz NOT NULL,
    recipient_id       text,
    errors             json,
    inbox_event_id     bigint      NOT NULL,
    PRIMARY KEY (business_id, external_id, status)
);
