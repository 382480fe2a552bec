package io.steadfast.load.plan;

import java.io.PrintStream;

/**
 * The live progress line of a run: elapsed of planned time, the rate due now, what was answered in the last second,
 * its p95, the failures so far and the requests waiting for a connection. Redrawn in place on a terminal; elsewhere
 * (a CI log) printed as a plain line every ten seconds.
 */
final class LiveLine {
    private static final long TERMINAL_EVERY = 500_000_000L;
    private static final long LOG_EVERY = 10_000_000_000L;

    private final PrintStream out = System.err;
    private final boolean terminal = System.console() != null;
    private final String label;
    private final Profile profile;
    private final long start;
    private long next;
    private long answeredMark;
    private long markAt;

    LiveLine(String label, Profile profile, long start) {
        this.label = label;
        this.profile = profile;
        this.start = start;
        this.markAt = start;
        this.next = start + (terminal ? TERMINAL_EVERY : LOG_EVERY);
    }

    long nextDrawNanos() {
        return next;
    }

    void drawIfDue(Iterable<Series> series, long waiting) {
        long now = System.nanoTime();
        if (now < next) {
            return;
        }
        next = now + (terminal ? TERMINAL_EVERY : LOG_EVERY);
        long answered = 0;
        long failed = 0;
        double p95 = 0;
        for (Series s : series) {
            answered += s.okCount() + s.failedCount();
            failed += s.failedCount();
            java.util.List<Series.Point> points = s.points();
            if (!points.isEmpty()) {
                p95 = Math.max(p95, points.getLast().p95());
            }
        }
        double seconds = (now - start) / 1e9;
        double planned = profile.duration().toNanos() / 1e9;
        double perSecond = (answered - answeredMark) / ((now - markAt) / 1e9);
        answeredMark = answered;
        markAt = now;
        int width = 20;
        int filled = (int) Math.round(Math.min(1, seconds / planned) * width);
        String text = String.format("  %-12s [%s%s] %4.0f/%.0f s  due %,6.0f/s  answered %,6.0f/s  p95 %7.1f ms"
                        + "  failed %,d  waiting %,d", label, "#".repeat(filled), ".".repeat(width - filled), seconds,
                planned, profile.rateAt(seconds), perSecond, p95, failed, waiting);
        if (terminal) {
            out.print("\r" + text + "  ");
        } else {
            out.println(text);
        }
        out.flush();
    }

    void done() {
        if (terminal) {
            out.print("\r" + " ".repeat(140) + "\r");
            out.flush();
        }
    }
}
