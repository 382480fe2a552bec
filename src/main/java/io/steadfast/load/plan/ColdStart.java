package io.steadfast.load.plan;

import io.steadfast.Steadfast;
import io.steadfast.chaos.JavaProcess;
import io.steadfast.config.Config;
import io.steadfast.load.OwnNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Seed 004 test 5: from process start to the first answered request, on an empty and on a warm data directory. */
@Command(name = "cold-start", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Seed 004's cold-start test, for a process: starts `steadfast serve` as a new JVM (this one's java, class",
                "path and STEADFAST_JAVA_OPTS) and times from the start of the process to the first 200 of an API",
                "request that reads the database (GET /v1/conversations with its token), asked every 1/--rate s.",
                "--runs times on a new, empty data directory (embedded PostgreSQL initialised from nothing), then --runs",
                "restarts on one warm data directory, each stopped with SIGTERM. --duration bounds one start.",
                "Not for --url: it starts and stops its own processes.",
                "Thresholds: warm max < 3,000 ms.",
                ""})
public final class ColdStart extends PlanScenario {
    @Option(names = "--runs", defaultValue = "3", description = "Starts of each kind (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--startup-cache", paramLabel = "KIND", description = {
            "What ./steadfast serve starts from: aot (JDK 25's AOT cache, the launcher's choice there), cds (a dynamic",
            "class-data-sharing archive, its choice on JDK 21-24) or off. Default: the launcher's choice for this JVM.",
            "A cache is recorded by one start before the measured ones."})
    String startupCache;

    @Override
    String name() {
        return "cold-start";
    }

    @Override
    String summary() {
        return "Time from starting the process to its first answered API request, on an empty and on a warm data directory.";
    }

    @Override
    List<String> defaultThresholds() {
        return List.of("warm:max<3000");
    }

    @Override
    void measure(Report report) throws IOException {
        if (options.remote()) {
            throw new ParameterException(options.spec.commandLine(), "cold-start starts and stops its own processes: it"
                    + " cannot restart the deployment at --url; run it on the machine, without --url");
        }
        if (runs < 1) {
            throw new ParameterException(options.spec.commandLine(), "--runs must be at least 1, got " + runs);
        }
        Duration limit = options.duration(Duration.ofSeconds(120));
        Duration probe = Duration.ofNanos((long) (1e9 / options.rate(100)));
        String cache = startupCache != null ? startupCache : Runtime.version().feature() >= 25 ? "aot" : "cds";
        if (!List.of("aot", "cds", "off").contains(cache)) {
            throw new ParameterException(options.spec.commandLine(), "--startup-cache is aot, cds or off, got " + cache);
        }
        String jvmOptions = System.getenv().getOrDefault("STEADFAST_JAVA_OPTS", "");
        report.configure("target", "steadfast serve in a new JVM, embedded PostgreSQL, "
                        + Runtime.getRuntime().availableProcessors() + " cores")
                .configure("JVM options", jvmOptions.isBlank() ? "(none)" : jvmOptions)
                .configure("startup cache", cache.equals("off") ? "none" : cache + ", recorded by one start before the runs")
                .configure("runs", runs + " on an empty data directory, " + runs + " on a warm one")
                .configure("probe", "GET /v1/conversations every " + probe.toMillis() + " ms");
        Series empty = new Series("empty");
        Series warm = new Series("warm");
        Path root = Files.createTempDirectory("steadfast-cold-start");
        long started = System.nanoTime();
        try {
            Path file = root.resolve("serve." + cache);
            if (!cache.equals("off")) {
                start(root.resolve("training"), cacheOptions(cache, file, true) + " " + jvmOptions, limit, probe,
                        "recording the startup cache");
            }
            jvmOptions = cacheOptions(cache, file, false) + " " + jvmOptions;
            for (int i = 1; i <= runs; i++) {
                Path dir = root.resolve("empty-" + i);
                empty.record(start(dir, jvmOptions, limit, probe, "empty " + i + "/" + runs), null);
            }
            Path warmDir = root.resolve("empty-1");
            for (int i = 1; i <= runs; i++) {
                warm.record(start(warmDir, jvmOptions, limit, probe, "warm " + i + "/" + runs), null);
            }
        } finally {
            OwnNode.deleteRecursively(root);
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        empty.tick(elapsed);
        warm.tick(elapsed);
        Map<String, Series> series = new LinkedHashMap<>();
        series.put("empty", empty);
        series.put("warm", warm);
        report.add(new OpenLoad.Result(series, Duration.ofNanos(System.nanoTime() - started), 0));
    }

    /** The launcher's flags for a startup cache at {@code file}: the ones that record it, or the ones that use it. */
    private static String cacheOptions(String cache, Path file, boolean record) {
        return switch (cache) {
            case "aot" -> (record ? "-XX:AOTCacheOutput=" : "-XX:AOTCache=") + file + " -Xlog:aot=error,cds=error";
            case "cds" -> "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=" + file + " -Xlog:cds=error";
            default -> "";
        };
    }

    /** Starts serve on {@code dir}, returns the microseconds to its first 200, and stops it with SIGTERM. */
    private long start(Path dir, String jvmOptions, Duration limit, Duration probe, String label) {
        int port = freePort();
        String token = UUID.randomUUID().toString();
        Map<String, String> env = new HashMap<>();
        env.put(Config.DATA_DIR, dir.toString());
        env.put(Config.PORT, Integer.toString(port));
        env.put(Config.HOST, "127.0.0.1");
        env.put(Config.API_TOKEN, token);
        env.put(Config.DATABASE_URL, "");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/conversations?limit=1"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(2)).build();
        long begin = System.nanoTime();
        JavaProcess serve = JavaProcess.start("serve", dir.resolveSibling(dir.getFileName() + ".log"),
                Steadfast.class.getName(), env, Arrays.stream(jvmOptions.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList(),
                "serve");
        try {
            while (true) {
                long now = System.nanoTime();
                if (now - begin > limit.toNanos() || !serve.isAlive()) {
                    throw new IllegalStateException("serve did not answer within " + limit.toSeconds() + " s ("
                            + (serve.isAlive() ? "still starting" : "it exited") + "); its output:\n" + serve.output());
                }
                try {
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        long micros = (System.nanoTime() - begin) / 1000;
                        out.printf("  %-10s first answer after %,6.0f ms%n", label, micros / 1000.0);
                        return micros;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                LockSupport.parkNanos(Math.max(0, begin + ((now - begin) / probe.toNanos() + 1) * probe.toNanos()
                        - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            serve.terminate(Duration.ofSeconds(60));
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
