-- A claim, a lease renewal and a release change no indexed column, so PostgreSQL can write them as HOT updates: the
-- new version on the same page and no new index entries, where each claim used to copy the row into every index.
-- The three indexes that named status (pending, processing, dead) become two that name the times a state sets:
-- the open events (pending or processing) by when they are due, and the dead ones. A claim walks the open index in
-- due order and passes over the events other workers hold, a few hundred at most.
ALTER TABLE inbox_event
    ADD CONSTRAINT inbox_event_done_has_processed_at CHECK ((status = 'done') = (processed_at IS NOT NULL)),
    ADD CONSTRAINT inbox_event_dead_has_dead_at CHECK ((status = 'dead') = (dead_at IS NOT NULL));

CREATE INDEX inbox_event_open ON inbox_event (next_attempt_at) WHERE processed_at IS NULL AND dead_at IS NULL;
DROP INDEX inbox_event_ready;
DROP INDEX inbox_event_leased;
DROP INDEX inbox_event_dead;
CREATE INDEX inbox_event_dead ON inbox_event (dead_at, id) WHERE dead_at IS NOT NULL;

-- Room on each page for a claimed version of its rows beside the pending one.
ALTER TABLE inbox_event SET (fillfactor = 60);
