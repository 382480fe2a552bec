-- The business's own products and their stock. The database refuses an oversell by itself: stock on hand never goes
-- below zero, and never below what carts and orders have reserved of it.

CREATE TABLE product (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    business_id bigint      NOT NULL REFERENCES business (id),
    sku         text        COLLATE "C" NOT NULL,
    name        text        NOT NULL,
    price       bigint      NOT NULL,  -- minor units of currency
    currency    text        NOT NULL,
    on_hand     bigint      NOT NULL DEFAULT 0,
    reserved    bigint      NOT NULL DEFAULT 0,
    status      text        NOT NULL DEFAULT 'draft',
    deleted_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id),
    CONSTRAINT product_sku UNIQUE (business_id, sku),
    CONSTRAINT product_price CHECK (price > 0),
    CONSTRAINT product_currency CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT product_status CHECK (status IN ('draft', 'active', 'disabled', 'archived')),
    CONSTRAINT product_on_hand_not_negative CHECK (on_hand >= 0),
    CONSTRAINT product_reserved_not_negative CHECK (reserved >= 0),
    CONSTRAINT product_reserved_within_on_hand CHECK (reserved <= on_hand)
);

-- Every change of a product's stock on hand, signed, in the transaction that made it: they sum to on_hand.
-- Append-only, like the wallets' ledger.
CREATE TABLE stock_movement (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    business_id bigint      NOT NULL,
    product_id  bigint      NOT NULL,
    delta       bigint      NOT NULL,
    kind        text        NOT NULL,
    reason      text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id),
    FOREIGN KEY (business_id, product_id) REFERENCES product (business_id, id),
    CONSTRAINT stock_movement_delta CHECK (delta <> 0),
    CONSTRAINT stock_movement_kind CHECK (kind IN ('initial', 'adjustment'))
);

CREATE INDEX stock_movement_of_product ON stock_movement (business_id, product_id, id);

ALTER TABLE product ENABLE ROW LEVEL SECURITY;
CREATE POLICY product_of_business ON product USING (business_id = ANY (steadfast_businesses()));
ALTER TABLE stock_movement ENABLE ROW LEVEL SECURITY;
CREATE POLICY stock_movement_read ON stock_movement FOR SELECT USING (business_id = ANY (steadfast_businesses()));
CREATE POLICY stock_movement_append ON stock_movement FOR INSERT
    WITH CHECK (business_id = ANY (steadfast_businesses()));
REVOKE UPDATE, DELETE, TRUNCATE ON stock_movement FROM steadfast_app;
