-- Faults switched on at run time by the chaos suite. Only processes started with STEADFAST_FAULT_INJECTION=true
-- read this table (they poll it), so one switch reaches the ingest and worker processes alike; every other
-- process ignores it. A fault is active until its deadline.
CREATE TABLE fault_injection (
    name         text        PRIMARY KEY,
    value        bigint      NOT NULL DEFAULT 0,
    active_until timestamptz NOT NULL,
    CONSTRAINT fault_injection_name CHECK (name IN ('webhook_500_before_commit', 'webhook_500_after_commit', 'handler_delay_ms')),
    CONSTRAINT fault_injection_value CHECK (value >= 0)
);

-- Commits a worker attempted after its lease had been taken over: each one is a second effect that fencing refused.
ALTER TABLE inbox_worker ADD COLUMN lease_lost_count bigint NOT NULL DEFAULT 0;
