package io.steadfast.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * For statements that join a batch's keys to a table that grows with every event (audit rows, status reports,
 * messages): PostgreSQL plans them each time, for the actual arrays and the table as it is now, instead of
 * settling on one plan per connection. A plan settled on while the table was still empty scans all of it until
 * the next ANALYZE, a minute or more away: in the first minutes of a fresh database, looking up an order batch's
 * earlier actions took 66 ms a batch, and the order workers fell 37,000 events behind ingestion. Planning costs a
 * fraction of a millisecond a batch.
 */
public final class PlanEachTime implements StatementCustomizer {
    public static final PlanEachTime INSTANCE = new PlanEachTime();

    private PlanEachTime() {
    }

    @Override
    public void beforeExecution(PreparedStatement statement, StatementContext ctx) throws SQLException {
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
}
