-- Shopify order state built from order webhooks: one row per business and Shopify order, last writer wins by the
-- payload's updated_at, and an audit row for every delivery a worker processed.

ALTER TABLE channel DROP CONSTRAINT channel_kind;
ALTER TABLE channel ADD CONSTRAINT channel_kind CHECK (kind IN ('whatsapp', 'shopify'));

CREATE TABLE shop_order (
    id                       bigint GENERATED ALWAYS AS IDENTITY,
    business_id              bigint      NOT NULL REFERENCES business (id),
    shopify_order_id         bigint      NOT NULL,
    shop_domain              text        COLLATE "C" NOT NULL,
    name                     text,                  -- "#1001"
    email                    text,
    financial_status         text,
    fulfillment_status       text,
    cancelled_at             timestamptz,
    cancel_reason            text,
    currency                 text        NOT NULL,
    total_price              numeric     NOT NULL,  -- decimal strings as Shopify sends them, in currency
    subtotal_price           numeric,
    total_tax                numeric,
    shipping_fee             numeric,
    line_items               json        NOT NULL,
    customer                 json,
    placed_at                timestamptz NOT NULL,  -- the order's created_at at Shopify
    last_external_updated_at timestamptz NOT NULL,  -- updated_at of the payload the row holds: older ones lose
    version                  integer     NOT NULL,  -- how many deliveries were applied
    last_inbox_event_id      bigint      NOT NULL,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id),
    CONSTRAINT shop_order_shopify_id UNIQUE (business_id, shopify_order_id),
    CONSTRAINT shop_order_version CHECK (version >= 1),
    CONSTRAINT shop_order_amounts CHECK (total_price >= 0 AND coalesce(shipping_fee, 0) >= 0)
);

CREATE INDEX shop_order_newest ON shop_order (business_id, placed_at DESC, id DESC);

-- One row per delivery a worker processed: applied, discarded (stale, or a second delivery of the same merchant
-- action) or failed (dead-lettered, with the error). A replayed delivery may fail before it is processed.
CREATE TABLE order_audit (
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    business_id         bigint      NOT NULL REFERENCES business (id),
    shopify_order_id    bigint      NOT NULL,
    inbox_event_id      bigint      NOT NULL,
    webhook_id          text        COLLATE "C" NOT NULL,
    event_id            text        COLLATE "C",
    topic               text        NOT NULL,
    outcome             text        NOT NULL,
    reason              text,
    external_updated_at timestamptz,
    triggered_at        timestamptz,
    version_after       integer,
    processed_at        timestamptz NOT NULL,
    PRIMARY KEY (business_id, id),
    CONSTRAINT order_audit_outcome CHECK (outcome IN ('processed', 'discarded', 'failed')),
    CONSTRAINT order_audit_reason CHECK (outcome = 'processed' OR reason IS NOT NULL)
);

CREATE UNIQUE INDEX order_audit_one_per_delivery ON order_audit (business_id, inbox_event_id) WHERE outcome <> 'failed';
CREATE INDEX order_audit_by_order ON order_audit (business_id, shopify_order_id, id);
CREATE INDEX order_audit_by_event ON order_audit (business_id, event_id) WHERE event_id IS NOT NULL;

-- Every change a live client should see, in the transaction that made it: order changes and new messages.
-- /v1/sync reads it after a NOTIFY, and replays it from a cursor for a client that reconnects.
CREATE TABLE change_log (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id bigint      NOT NULL,
    kind        text        NOT NULL,
    entity_id   text        COLLATE "C" NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT change_log_kind CHECK (kind IN ('order', 'message'))
);
