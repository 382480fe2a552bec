-- Wallets: money a business holds for a customer, in one currency, in integer minor units. The database refuses an
-- overdraft by itself: a balance never goes below zero, nor below what its holds reserve.

CREATE TABLE wallet (
    id           bigint GENERATED ALWAYS AS IDENTITY,
    business_id  bigint      NOT NULL REFERENCES business (id),
    customer_ref text        COLLATE "C" NOT NULL,
    currency     text        NOT NULL,
    balance      bigint      NOT NULL DEFAULT 0,
    held         bigint      NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id),
    CONSTRAINT wallet_of_customer UNIQUE (business_id, customer_ref, currency),
    CONSTRAINT wallet_currency CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT wallet_balance_not_negative CHECK (balance >= 0),
    CONSTRAINT wallet_held_not_negative CHECK (held >= 0),
    CONSTRAINT wallet_held_within_balance CHECK (held <= balance)
);

-- Every movement of a balance, signed (credits positive, debits negative), in the transaction that moved it: the
-- entries of a wallet sum to its balance. Append-only: corrections are new entries.
CREATE TABLE wallet_entry (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    business_id bigint      NOT NULL,
    wallet_id   bigint      NOT NULL,
    amount      bigint      NOT NULL,
    kind        text        NOT NULL,
    reason      text,
    hold_id     bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, id),
    FOREIGN KEY (business_id, wallet_id) REFERENCES wallet (business_id, id),
    CONSTRAINT wallet_entry_kind CHECK (kind IN ('credit', 'debit', 'capture')),
    CONSTRAINT wallet_entry_sign CHECK (CASE kind WHEN 'credit' THEN amount > 0 ELSE amount < 0 END)
);

CREATE INDEX wallet_entry_of_wallet ON wallet_entry (business_id, wallet_id, id);

-- Money set aside from a wallet's available balance until it is captured (all or part), voided, or expires. Each
-- hold resolves once: every resolution is an update from 'active'.
CREATE TABLE wallet_hold (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    business_id bigint      NOT NULL,
    wallet_id   bigint      NOT NULL,
    amount      bigint      NOT NULL,
    captured    bigint,
    status      text        NOT NULL DEFAULT 'active',
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    PRIMARY KEY (business_id, id),
    FOREIGN KEY (business_id, wallet_id) REFERENCES wallet (business_id, id),
    CONSTRAINT wallet_hold_amount CHECK (amount > 0),
    CONSTRAINT wallet_hold_status CHECK (status IN ('active', 'captured', 'voided', 'expired')),
    CONSTRAINT wallet_hold_captured CHECK ((status = 'captured') = (captured IS NOT NULL)
                                           AND (captured IS NULL OR captured BETWEEN 1 AND amount))
);

ALTER TABLE wallet ENABLE ROW LEVEL SECURITY;
CREATE POLICY wallet_of_business ON wallet USING (business_id = ANY (steadfast_businesses()));
ALTER TABLE wallet_hold ENABLE ROW LEVEL SECURITY;
CREATE POLICY wallet_hold_of_business ON wallet_hold USING (business_id = ANY (steadfast_businesses()));
ALTER TABLE wallet_entry ENABLE ROW LEVEL SECURITY;
CREATE POLICY wallet_entry_read ON wallet_entry FOR SELECT USING (business_id = ANY (steadfast_businesses()));
CREATE POLICY wallet_entry_append ON wallet_entry FOR INSERT WITH CHECK (business_id = ANY (steadfast_businesses()));
REVOKE UPDATE, DELETE, TRUNCATE ON wallet_entry FROM steadfast_app;

-- Hold expiries are inbox events of source 'commerce' whose partition key is their business's id, like send jobs.
CREATE OR REPLACE VIEW business_inbox_event WITH (security_barrier = true) AS
SELECT e.*, coalesce(CASE WHEN e.source IN ('outbound', 'commerce') THEN e.partition_key::bigint END, c.business_id, d.id)
           AS business_id
FROM inbox_event e
LEFT JOIN channel c ON c.kind = e.source AND c.account_id = e.partition_key
CROSS JOIN (SELECT id FROM business WHERE name = 'default') d
WHERE coalesce(CASE WHEN e.source IN ('outbound', 'commerce') THEN e.partition_key::bigint END, c.business_id, d.id)
      = ANY (steadfast_businesses());
