package io.steadfast.support;

import io.steadfast.chaos.JavaProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Real JVM processes started from the test class path, in the test time zone, with their logs under target/. */
public final class Processes {
    private static final Path LOGS = Path.of("target", "process-logs");
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC",
            "-Duser.timezone=Pacific/Chatham");

    private Processes() {
    }

    /** Starts {@code mainClass} in a new JVM with this JVM's class path and the given environment. */
    public static JavaProcess startJava(String name, String mainClass, Map<String, String> env, String... args) {
        return JavaProcess.start(name, LOGS.resolve(name + "-" + System.nanoTime() + ".log"), mainClass, env, JVM_OPTIONS,
                args);
    }
}
