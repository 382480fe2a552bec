-- The chaos suite's fault switchboard is not part of a production schema: a process started with fault injection
-- creates it from db/faults, under a migration history of its own.
DROP TABLE IF EXISTS fault_injection;
