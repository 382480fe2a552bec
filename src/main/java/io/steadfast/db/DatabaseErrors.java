package io.steadfast.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Classifies failures by what the caller should do about them. */
public final class DatabaseErrors {
    /** Lost races that a retry of the same transaction resolves: serialization failure, deadlock. */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");
    /** The server is going away or refusing connections (admin shutdown, crash shutdown, cannot connect now). */
    private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03", "58030");

    private DatabaseErrors() {
    }

    /** True when the failure means the database is unreachable, not that our statement was wrong. */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DatabaseUnavailableException || t instanceof SQLTransientConnectionException
                    || t instanceof java.net.ConnectException || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || SERVER_GONE.contains(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when the statement broke a UNIQUE constraint: the thing it would create exists already. */
    public static boolean isUniqueViolation(Throwable failure) {
        return hasState(failure, Set.of("23505"));
    }

    /** True for a lost race between transactions (deadlock, serialization failure): retrying will succeed. */
    public static boolean isRetryableConflict(Throwable failure) {
        return hasState(failure, RETRYABLE);
    }

    private static boolean hasState(Throwable failure, Set<String> states) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && states.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
