package io.steadfast.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The database options of the commands that work on a deployment's data beside serve: the same settings as serve. */
public final class DatabaseOptions {
    @Option(names = "--database-url", paramLabel = "URL", description = "As for serve. [STEADFAST_DATABASE_URL]")
    String databaseUrl;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "As for serve. [STEADFAST_DATA_DIR]")
    String dataDir;

    /** The configuration from the environment, with these options over it. */
    public Config load() {
        Map<String, String> values = new HashMap<>(System.getenv());
        Optional.ofNullable(databaseUrl).ifPresent(v -> values.put(Config.DATABASE_URL, v));
        Optional.ofNullable(dataDir).ifPresent(v -> values.put(Config.DATA_DIR, v));
        return Config.load(values);
    }
}
