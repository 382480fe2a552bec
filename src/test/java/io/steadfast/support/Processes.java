package io.steadfast.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real JVM processes started from the test class path, and real signals sent to them. */
public final class Processes {
    private static final Path LOGS = Path.of("target", "process-logs");

    private Processes() {
    }

    /** A started process and the file its output goes to. */
    public record Child(Process process, Path log) {
        public long pid() {
            return process.pid();
        }

        public String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }

        public void signal(String signal) {
            Processes.signal(pid(), signal);
        }

        /** SIGKILL: no shutdown hook, no cleanup, leases stay behind. */
        public void killHard() {
            signal("KILL");
            waitFor(Duration.ofSeconds(10));
        }

        /** SIGTERM, then wait for a graceful exit; returns the exit code. */
        public int terminate(Duration patience) {
            signal("TERM");
            return waitFor(patience);
        }

        public int waitFor(Duration patience) {
            try {
                if (!process.waitFor(patience.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("process " + pid() + " did not exit within " + patience + "\n" + output());
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public void destroy() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Starts {@code mainClass} in a new JVM with this JVM's class path and the given environment. */
    public static Child startJava(String name, String mainClass, Map<String, String> env, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC",
                "-Duser.timezone=Pacific/Chatham", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(name + "-" + System.nanoTime() + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new Child(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void signal(long pid, String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
