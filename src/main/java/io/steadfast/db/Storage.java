package io.steadfast.db;

import io.steadfast.config.Config;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The database a process uses, migrated: the configured one, or embedded PostgreSQL in the data directory. */
public record Storage(Optional<EmbeddedPostgres> embedded, Database database) implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Storage.class);

    public static Storage open(Config config, String applicationName) {
        Optional<EmbeddedPostgres> embedded = Optional.empty();
        DatabaseUrl url;
        if (config.embeddedDatabase()) {
            log.info("Starting embedded PostgreSQL in {} (the first start initialises it)", config.dataDir().resolve("pgdata"));
            embedded = Optional.of(EmbeddedPostgres.startOrAttach(config.dataDir().resolve("pgdata"), 0));
            url = DatabaseUrl.parse(embedded.get().jdbcUrl());
        } else {
            url = DatabaseUrl.parse(config.databaseUrl().orElseThrow());
        }
        try {
            Database.migrate(url);
            if (config.faultInjection()) {
                Database.migrateFaultInjection(url);
            }
            return new Storage(embedded, Database.connectAsApplication(url, config.poolSize(), applicationName));
        } catch (RuntimeException e) {
            embedded.ifPresent(EmbeddedPostgres::close);
            throw e;
        }
    }

    @Override
    public void close() {
        database.close();
        embedded.ifPresent(EmbeddedPostgres::close);
    }
}
