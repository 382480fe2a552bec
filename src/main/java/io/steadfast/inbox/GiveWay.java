package io.steadfast.inbox;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Acknowledgements first. On a node that both takes webhooks and applies them, the two share the CPU; a slow answer
 * makes providers time out and send again (more load, on the worst minute), while an event not yet applied only
 * waits, durable, in the inbox. So while webhooks arrive and either their commits wait long or the machine's CPU is
 * nearly all in use, the workers pause between batches: the pause doubles while that lasts, halves once it is over
 * and ends when webhooks stop, and it is capped so that applying slows down but never stops.
 *
 * <p>The CPU counts, not only the commit's wait: a request also queues before it reaches the appender (in the
 * kernel, in Jetty, in a load generator on the same machine), where the appender cannot see it. Workers on a node
 * without HTTP have no appender beside them and never pause.
 */
public final class GiveWay {
    /** A group whose oldest request waited longer than this for its commit counts as slow. */
    public static final Duration SLOW_ACK = Duration.ofMillis(20);
    /** The machine's CPU in use, 0 to 1, above which webhooks arriving are likely to queue. */
    public static final double BUSY_CPU = 0.85;
    /** How long a commit keeps counting: webhooks are arriving, and a slow one keeps the pause growing. */
    static final Duration RECENT = Duration.ofMillis(100);
    static final Duration FIRST_PAUSE = Duration.ofMillis(5);
    /** The longest pause after a batch; a batch of 200 takes 50-150 ms, so applying keeps a tenth of its pace or more. */
    public static final Duration MAX_PAUSE = Duration.ofSeconds(1);
    private static final long CPU_SAMPLE_NANOS = Duration.ofMillis(50).toNanos();

    private final DoubleSupplier cpuLoad;
    private final AtomicLong pauseNanos = new AtomicLong();
    private volatile long lastCommitAt;
    private volatile long lastSlowAt;
    private volatile boolean anyCommit;
    private volatile boolean anySlow;
    private volatile boolean cpuSampled;
    private volatile long cpuSampledAt;
    private volatile double cpu;

    public GiveWay() {
        this(systemCpuLoad());
    }

    /** {@code cpuLoad}: the machine's CPU in use since the previous call, 0 to 1, negative when not known. */
    GiveWay(DoubleSupplier cpuLoad) {
        this.cpuLoad = cpuLoad;
    }

    /** A group of requests committed; the oldest of them had waited {@code oldestWaitNanos} when it was. */
    public void committed(long oldestWaitNanos, long nowNanos) {
        lastCommitAt = nowNanos;
        anyCommit = true;
        if (oldestWaitNanos > SLOW_ACK.toNanos()) {
            lastSlowAt = nowNanos;
            anySlow = true;
        }
    }

    /** How long a worker that has just finished a batch should wait before claiming the next one. */
    long pauseAfterBatch(long nowNanos) {
        if (!webhooksArriving(nowNanos)) {
            pauseNanos.set(0);
            return 0;
        }
        boolean crowded = anySlow && nowNanos - lastSlowAt < RECENT.toNanos() || cpu(nowNanos) > BUSY_CPU;
        return pauseNanos.updateAndGet(p -> crowded
                ? Math.min(MAX_PAUSE.toNanos(), Math.max(FIRST_PAUSE.toNanos(), p * 2))
                : p / 2 < FIRST_PAUSE.toNanos() / 4 ? 0 : p / 2);
    }

    /** Whether a group was committed lately; once webhooks stop, there is nothing to give way to. */
    boolean webhooksArriving(long nowNanos) {
        return anyCommit && nowNanos - lastCommitAt < RECENT.toNanos();
    }

    private double cpu(long nowNanos) {
        if (!cpuSampled || nowNanos - cpuSampledAt >= CPU_SAMPLE_NANOS) {
            cpu = cpuLoad.getAsDouble();
            cpuSampledAt = nowNanos;
            cpuSampled = true;
        }
        return cpu;
    }

    private static DoubleSupplier systemCpuLoad() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean bean ? bean::getCpuLoad : () -> -1;
    }
}
