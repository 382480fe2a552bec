package io.steadfast.load;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/** A one-line progress bar on the terminal while a phase runs: elapsed time and the current rate. */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final String unit;

    Progress(PrintStream out, String label, String unit) {
        this.out = out;
        this.label = label;
        this.unit = unit;
    }

    /** Redraws the bar every 250 ms until {@code deadlineNanos}. */
    void until(long deadlineNanos, LongSupplier count) {
        long start = System.nanoTime();
        long total = deadlineNanos - start;
        while (true) {
            long now = System.nanoTime();
            double fraction = Math.min(1.0, (now - start) / (double) total);
            double seconds = (now - start) / 1e9;
            long n = count.getAsLong();
            int filled = (int) Math.round(fraction * WIDTH);
            out.printf("\r  %-22s [%s%s] %5.1fs  %,9.0f %s/s ", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                    seconds, seconds > 0 ? n / seconds : 0.0, unit);
            out.flush();
            if (now >= deadlineNanos) {
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(250_000_000L, deadlineNanos - now));
        }
        out.print("\r" + " ".repeat(90) + "\r");
        out.flush();
    }
}
