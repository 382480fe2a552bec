package io.steadfast.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code steadfast load wrk}: pre-signed distinct webhooks and a Lua script, so that {@code wrk} can drive ingestion
 * from its own process, and the in-process client's share of {@code load ingest}'s figures can be seen.
 */
final class WrkFiles {
    private final String appSecret;
    private final int count;
    private final int customers;
    private final Path directory;

    WrkFiles(String appSecret, int count, int customers, Path directory) {
        this.appSecret = appSecret;
        this.count = count;
        this.customers = customers;
        this.directory = directory;
    }

    void write() {
        try {
            Files.createDirectories(directory);
            Path script = directory.resolve("webhooks.lua");
            try (InputStream lua = WrkFiles.class.getResourceAsStream("/load/webhooks.lua")) {
                Files.write(script, lua.readAllBytes());
            }
            String run = UUID.randomUUID().toString().substring(0, 8);
            Path bodies = directory.resolve("webhooks-" + run + ".tsv");
            WebhookStream stream = new WebhookStream(appSecret, run, customers);
            try (BufferedWriter out = Files.newBufferedWriter(bodies, StandardCharsets.UTF_8)) {
                for (long n = 0; n < count; n++) {
                    LoadClient.Call call = stream.webhook(n);
                    out.write(call.headers()[1]);
                    out.write('\t');
                    out.write(new String(call.body(), StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
            System.out.printf("""
                    Wrote %,d signed webhooks (message ids wamid.%s.*) to %s
                    Send them from 2 threads and 256 connections for 15 s (each is sent once; write more with --count
                    if a run could send more than %,d):
                      wrk -t2 -c256 -d15s --latency -s %s <URL> -- %s 2
                    where <URL> is the deployment's base URL, for example http://127.0.0.1:8080
                    """, count, run, bodies, count, script, bodies);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
