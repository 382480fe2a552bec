-- Where the last reconciliation of each shop got to: the next run asks the Admin API for orders changed since then.
CREATE TABLE shopify_reconcile_cursor (
    shop_domain    text        COLLATE "C" PRIMARY KEY,
    updated_at_min timestamptz NOT NULL,
    last_run_at    timestamptz NOT NULL
);
