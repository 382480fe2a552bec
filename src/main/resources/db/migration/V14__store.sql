-- Carts, store orders, their notifications, and the audit of admin actions on products.

-- A cart reserves stock (product.reserved) until it is ordered or expires; each of those is an update from 'active',
-- so its reservation is released or turned into an order exactly once.
CREATE TABLE cart (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    business_id bigint      NOT NULL REFERENCES business (id),
    status      text        NOT NULL DEFAULT 'active',
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    PRIMARY KEY (business_id, id),
    CONSTRAINT cart_status CHECK (status IN ('active', 'ordered', 'expired'))
);

CREATE TABLE cart_item (
    business_id bigint NOT NULL,
    cart_id     bigint NOT NULL,
    product_id  bigint NOT NULL,
    quantity    bigint NOT NULL,
    PRIMARY KEY (business_id, cart_id, product_id),
    FOREIGN KEY (business_id, cart_id) REFERENCES cart (business_id, id),
    FOREIGN KEY (business_id, product_id) REFERENCES product (business_id, id),
    CONSTRAINT cart_item_quantity CHECK (quantity > 0)
);

CREATE INDEX cart_item_of_product ON cart_item (business_id, product_id);

-- An order moves forward only: placed or paid -> shipped -> delivered; placed or paid -> cancelled.
CREATE TABLE store_order (
    id               bigint GENERATED ALWAYS AS IDENTITY,
    business_id      bigint      NOT NULL REFERENCES business (id),
    status           text        NOT NULL,
    currency         text        NOT NULL,
    subtotal         bigint      NOT NULL,
    shipping         bigint      NOT NULL,
    shipping_source  text        NOT NULL,
    shipping_reason  text,
    total            bigint      NOT NULL,
    wallet_id        bigint,
    cart_id          bigint,
    email            text,
    shipping_address jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id),
    FOREIGN KEY (business_id, wallet_id) REFERENCES wallet (business_id, id),
    FOREIGN KEY (business_id, cart_id) REFERENCES cart (business_id, id),
    CONSTRAINT store_order_status CHECK (status IN ('placed', 'paid', 'shipped', 'delivered', 'cancelled')),
    CONSTRAINT store_order_amounts CHECK (subtotal > 0 AND shipping >= 0 AND total = subtotal + shipping),
    CONSTRAINT store_order_shipping_source CHECK (shipping_source IN ('rates', 'fallback'))
);

CREATE TABLE store_order_item (
    business_id bigint NOT NULL,
    order_id    bigint NOT NULL,
    product_id  bigint NOT NULL,
    quantity    bigint NOT NULL,
    unit_price  bigint NOT NULL,
    PRIMARY KEY (business_id, order_id, product_id),
    FOREIGN KEY (business_id, order_id) REFERENCES store_order (business_id, id),
    FOREIGN KEY (business_id, product_id) REFERENCES product (business_id, id),
    CONSTRAINT store_order_item_quantity CHECK (quantity > 0),
    CONSTRAINT store_order_item_price CHECK (unit_price > 0)
);

CREATE INDEX store_order_item_of_product ON store_order_item (business_id, product_id);

-- What became of each notification of an order: sent by a job on the inbox engine, after the order committed.
CREATE TABLE order_notification (
    business_id bigint      NOT NULL,
    order_id    bigint      NOT NULL,
    channel     text        NOT NULL,
    status      text        NOT NULL DEFAULT 'pending',
    reason      text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, order_id, channel),
    FOREIGN KEY (business_id, order_id) REFERENCES store_order (business_id, id),
    CONSTRAINT order_notification_channel CHECK (channel IN ('email', 'push')),
    CONSTRAINT order_notification_status CHECK (status IN ('pending', 'sent', 'failed', 'skipped'))
);

-- Orders move stock on hand and money, with their own kinds of movement and entry.
ALTER TABLE stock_movement ADD COLUMN order_id bigint;
ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_kind;
ALTER TABLE stock_movement ADD CONSTRAINT stock_movement_kind
    CHECK (kind IN ('initial', 'adjustment', 'order', 'cancel'));

ALTER TABLE wallet_entry ADD COLUMN order_id bigint;
ALTER TABLE wallet_entry DROP CONSTRAINT wallet_entry_kind;
ALTER TABLE wallet_entry DROP CONSTRAINT wallet_entry_sign;
ALTER TABLE wallet_entry ADD CONSTRAINT wallet_entry_kind
    CHECK (kind IN ('credit', 'debit', 'capture', 'payment', 'refund'));
ALTER TABLE wallet_entry ADD CONSTRAINT wallet_entry_sign
    CHECK (CASE WHEN kind IN ('credit', 'refund') THEN amount > 0 ELSE amount < 0 END);
-- An order is paid once and refunded once, whatever races.
CREATE UNIQUE INDEX wallet_entry_once_per_order ON wallet_entry (business_id, order_id, kind) WHERE order_id IS NOT NULL;

-- Every admin action on a product: who, what, the product before and after. Append-only.
CREATE TABLE admin_audit (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    business_id bigint      NOT NULL REFERENCES business (id),
    entity      text        NOT NULL,
    entity_id   bigint      NOT NULL,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    before      jsonb,
    after       jsonb,
    at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id)
);

CREATE INDEX admin_audit_of_entity ON admin_audit (business_id, entity, entity_id, id);

ALTER TABLE cart ENABLE ROW LEVEL SECURITY;
CREATE POLICY cart_of_business ON cart USING (business_id = ANY (steadfast_businesses()));
ALTER TABLE cart_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY cart_item_of_business ON cart_item USING (business_id = ANY (steadfast_businesses()));
ALTER TABLE store_order ENABLE ROW LEVEL SECURITY;
CREATE POLICY store_order_of_business ON store_order USING (business_id = ANY (steadfast_businesses()));
ALTER TABLE store_order_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY store_order_item_of_business ON store_order_item USING (business_id = ANY (steadfast_businesses()));
ALTER TABLE order_notification ENABLE ROW LEVEL SECURITY;
CREATE POLICY order_notification_of_business ON order_notification
    USING (business_id = ANY (steadfast_businesses()));
ALTER TABLE admin_audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_audit_read ON admin_audit FOR SELECT USING (business_id = ANY (steadfast_businesses()));
CREATE POLICY admin_audit_append ON admin_audit FOR INSERT WITH CHECK (business_id = ANY (steadfast_businesses()));
REVOKE UPDATE, DELETE, TRUNCATE ON admin_audit FROM steadfast_app;

-- Store orders are on the live feed too.
ALTER TABLE change_log DROP CONSTRAINT change_log_kind;
ALTER TABLE change_log ADD CONSTRAINT change_log_kind
    CHECK (kind IN ('order', 'message', 'outbound_message', 'store_order'));
