-- The live feed decides what it may skip by transaction visibility, not by a timer: each change records the
-- top-level transaction that wrote it, taken before its seq, so a seq that is not visible yet belongs to a
-- transaction that a snapshot lists as in progress. Rows written before this column existed are all committed.
ALTER TABLE change_log ADD COLUMN xid bigint NOT NULL DEFAULT 0;
ALTER TABLE change_log ALTER COLUMN xid SET DEFAULT pg_current_xact_id()::text::bigint;
CREATE INDEX change_log_by_xid ON change_log (xid);
