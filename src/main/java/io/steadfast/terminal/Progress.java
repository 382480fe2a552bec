package io.steadfast.terminal;

import java.io.PrintStream;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on the terminal while something runs. Drawn only on a terminal: redirected output (a CI
 * log, a file) gets no carriage-return noise.
 */
public final class Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 250_000_000L;
    private final PrintStream out;
    private final String label;
    private final String unit;
    private final boolean draw;

    public Progress(PrintStream out, String label, String unit) {
        this(out, label, unit, System.console() != null);
    }

    Progress(PrintStream out, String label, String unit, boolean draw) {
        this.out = out;
        this.label = label;
        this.unit = unit;
        this.draw = draw;
    }

    /** Redraws a time-based bar with the current rate every 250 ms until {@code deadlineNanos}. */
    public void until(long deadlineNanos, LongSupplier count) {
        long start = System.nanoTime();
        long total = deadlineNanos - start;
        while (true) {
            long now = System.nanoTime();
            double seconds = (now - start) / 1e9;
            long n = count.getAsLong();
            line(Math.min(1.0, (now - start) / (double) total), String.format("%5.1fs  %,9.0f %s/s",
                    seconds, seconds > 0 ? n / seconds : 0.0, unit));
            if (now >= deadlineNanos) {
                break;
            }
            LockSupport.parkNanos(Math.min(REDRAW_NANOS, deadlineNanos - now));
        }
        clear();
    }

    /** Redraws a count-based bar ({@code done} of {@code total}) every 250 ms until {@code finished} is true. */
    public void whileRunning(BooleanSupplier finished, LongSupplier done, long total) {
        long start = System.nanoTime();
        while (!finished.getAsBoolean()) {
            long n = done.getAsLong();
            line(total > 0 ? Math.min(1.0, n / (double) total) : 0.0, String.format("%,d/%,d %s  %5.1fs", n, total, unit,
                    (System.nanoTime() - start) / 1e9));
            LockSupport.parkNanos(REDRAW_NANOS);
        }
        clear();
    }

    private void line(double fraction, String detail) {
        if (!draw) {
            return;
        }
        int filled = (int) Math.round(fraction * WIDTH);
        out.printf("\r  %-22s [%s%s] %s ", label, "#".repeat(filled), ".".repeat(WIDTH - filled), detail);
        out.flush();
    }

    private void clear() {
        if (draw) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
        }
    }
}
