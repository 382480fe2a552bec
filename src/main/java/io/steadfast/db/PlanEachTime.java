package io.steadfast.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * For statements that join a batch's keys to a table that keeps growing: PostgreSQL plans them each time, for the
 * actual arrays and the table as it is now, instead of settling on one plan per connection. A settled plan made
 * while the table was still empty scans all of it until the next ANALYZE, a minute or more away: 27 us an event
 * at 10,000 customers, 66 ms a batch for an order's earlier actions, in the first minutes of a fresh database.
 * Planning costs a fraction of a millisecond a batch.
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
