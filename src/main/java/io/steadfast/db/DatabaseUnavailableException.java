package io.steadfast.db;

import io.steadfast.error.SteadfastException;

/** PostgreSQL cannot be reached (or did not answer in time). Nothing was acknowledged; the caller should retry. */
public class DatabaseUnavailableException extends SteadfastException {
    public static final int RETRY_AFTER_SECONDS = 5;

    public DatabaseUnavailableException(String message, Throwable cause) {
        super("database_unavailable", 503, message, cause);
    }
}
