package io.steadfast.load;

import io.steadfast.terminal.Progress;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongFunction;

/**
 * Sends warm-up load until this JVM's JIT compilers are done with it: slices of {@link #SLICE} until one spends
 * less than {@link #SETTLED} of its time compiling, {@link #MIN} at least and {@link #MAX} at most. On two cores,
 * C2 was still taking a fifth of the server's CPU 30 s into a run: figures taken then are not a server's steady
 * state. With {@code --url} only the load client's JIT is seen, so the server may still be compiling.
 */
final class Warmup {
    static final Duration MIN = Duration.ofSeconds(15);
    static final Duration MAX = Duration.ofSeconds(90);
    static final Duration SLICE = Duration.ofSeconds(5);
    static final double SETTLED = 0.05;

    /** How long the warm-up ran, and the share of its last slice spent compiling (across compiler threads). */
    record Result(Duration took, double compilingShare) {
        @Override
        public String toString() {
            return Double.isNaN(compilingShare) ? took.toSeconds() + " s warm-up"
                    : String.format("%d s warm-up, until the JIT compiled for %.0f%% of the last %d s", took.toSeconds(),
                    compilingShare * 100, SLICE.toSeconds());
        }
    }

    private Warmup() {
    }

    static Result run(LoadClient client, LongFunction<LoadClient.Call> calls, String label) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean observable = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        while (true) {
            long compiledMs = observable ? jit.getTotalCompilationTime() : 0;
            client.closedLoop(SLICE, calls, new Progress(System.err, label, "req"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            double share = observable ? (jit.getTotalCompilationTime() - compiledMs) / (double) SLICE.toMillis() : Double.NaN;
            boolean settled = !observable || share < SETTLED;
            if ((settled && took.compareTo(MIN) >= 0) || took.compareTo(MAX) >= 0) {
                return new Result(took, share);
            }
        }
    }
}
