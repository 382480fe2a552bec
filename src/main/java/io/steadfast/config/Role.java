package io.steadfast.config;

import java.util.Locale;

/** What a {@code steadfast serve} process does. Any number of processes may share one database. */
public enum Role {
    /** Webhooks, the read API and workers in one process. */
    ALL,
    /** Webhooks and the read API; no workers. Stateless. */
    INGEST,
    /** Workers only: claims events from the inbox and applies them. Serves no HTTP. */
    WORKER;

    public boolean servesHttp() {
        return this != WORKER;
    }

    public boolean runsWorkers() {
        return this != INGEST;
    }

    public static Role parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("role must be one of all, ingest, worker; got '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
