-- Faults switched on at run time by the chaos suite. Only processes started with STEADFAST_FAULT_INJECTION=true
-- create and read this table (they poll it), so one switch reaches the ingest and worker processes alike. A fault is
-- active until its deadline.
CREATE TABLE fault_injection (
    name         text        PRIMARY KEY,
    value        bigint      NOT NULL DEFAULT 0,
    active_until timestamptz NOT NULL,
    CONSTRAINT fault_injection_name CHECK (name IN ('webhook_500_before_commit', 'webhook_500_after_commit', 'handler_delay_ms')),
    CONSTRAINT fault_injection_value CHECK (value >= 0)
);
