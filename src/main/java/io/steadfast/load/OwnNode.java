package io.steadfast.load;

import io.steadfast.config.Config;
import io.steadfast.node.Node;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * A Steadfast the benchmark starts for itself, in this process: embedded PostgreSQL in a temporary directory
 * (deleted afterwards), loopback only, with the trivial endpoint that measures the HTTP ceiling.
 */
public final class OwnNode implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> settings;
    private Node node;

    private OwnNode(Path dir, Map<String, String> settings, Node node) {
        this.dir = dir;
        this.settings = settings;
        this.node = node;
    }

    public static OwnNode start(PrintStream out) {
        return start(out, Map.of());
    }

    /** With {@code overrides} (setting name to value) on top of the environment. */
    public static OwnNode start(PrintStream out, Map<String, String> overrides) {
        Path dir;
        try {
            dir = Files.createTempDirectory("steadfast-load");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        out.println("Starting Steadfast with embedded PostgreSQL in " + dir + " ...");
        Map<String, String> settings = new HashMap<>(System.getenv());
        settings.remove(Config.DATABASE_URL);
        settings.put(Config.DATA_DIR, dir.toString());
        settings.put(Config.PORT, "0");
        settings.put(Config.HOST, "127.0.0.1");
        settings.putAll(overrides);
        try {
            return new OwnNode(dir, settings, start(settings));
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    private static Node start(Map<String, String> settings) {
        return Node.start(Config.load(settings), new Node.Options(Clock.systemUTC(), Map.of(), true));
    }

    /**
     * Stops the node and its PostgreSQL, then starts both again on the same data and port, the way an operator
     * restarts serve; this JVM keeps what its compilers did, so a restart here costs no warm-up.
     */
    public void restart() {
        Map<String, String> again = new HashMap<>(settings);
        again.put(Config.PORT, Integer.toString(node.port()));
        node.close();
        node = start(again);
    }

    public Node node() {
        return node;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + node.port() + "/");
    }

    @Override
    public void close() {
        node.close();
        deleteRecursively(dir);
    }

    public static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
