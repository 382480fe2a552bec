-- How far each pruned table has been pruned, for readers that must know what is gone: the live feed refuses a
-- cursor older than the change log's mark instead of silently skipping what was deleted.
CREATE TABLE retention_mark (
    name      text PRIMARY KEY,
    up_to     bigint      NOT NULL,
    pruned_at timestamptz NOT NULL
);
