package io.steadfast.load;

import static io.steadfast.load.IngestBenchmark.ms;

import io.steadfast.load.IngestBenchmark.Row;
import java.io.PrintStream;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What one run of the ingest phases measured, as rates and as ratios to its own HTTP ceiling; NaN (and -1 for a
 * latency) where the run could not measure it (against a deployment given by --url).
 */
record IngestRun(int index, double ceiling, double ackedIngestOnly, double backlogApplied, double ackedAllInOne,
                 double endToEnd, long p99IngestOnlyMicros, long p99AllInOneMicros, double walPerWebhook,
                 int bodyBytes, List<Row> rows) {

    double ackedIngestOnlyRatio() {
        return ackedIngestOnly / ceiling;
    }

    double ackedAllInOneRatio() {
        return ackedAllInOne / ceiling;
    }

    double endToEndRatio() {
        return endToEnd / ceiling;
    }

    void printSummary(PrintStream out) {
        if (!Double.isNaN(ceiling)) {
            out.printf("  acknowledged/s vs the HTTP ceiling: %.2f with workers paused, %.2f with workers applying; "
                    + "applied end to end: %.2f%n", ackedIngestOnlyRatio(), ackedAllInOneRatio(), endToEndRatio());
            out.printf("  backlog applied by the workers alone: %,.0f events/s%n", backlogApplied);
        }
        out.printf("  end to end, workers applying while webhooks arrive: %,.0f events/s%n", endToEnd);
        if (!Double.isNaN(walPerWebhook)) {
            out.printf("  WAL per acknowledged webhook (workers paused): %,.0f bytes, %.1fx its raw body of %,d bytes%n",
                    walPerWebhook, walPerWebhook / bodyBytes, bodyBytes);
        }
    }

    /** Each run's figures and their medians. */
    static void printRuns(PrintStream out, List<IngestRun> runs) {
        String format = "  %-6s %9s %9s %6s %9s %6s %9s %6s %10s %10s %9s%n";
        out.printf(format, "run", "ceiling/s", "paused/s", "ratio", "applying", "ratio", "applied/s", "ratio",
                "p99 paused", "p99 apply", "WAL/hook");
        for (IngestRun r : runs) {
            out.printf(format, r.index(), rate(r.ceiling()), rate(r.ackedIngestOnly()), ratio(r.ackedIngestOnlyRatio()),
                    rate(r.ackedAllInOne()), ratio(r.ackedAllInOneRatio()), rate(r.endToEnd()), ratio(r.endToEndRatio()),
                    latency(r.p99IngestOnlyMicros()), latency(r.p99AllInOneMicros()), bytes(r.walPerWebhook()));
        }
        out.printf(format, "median", rate(median(runs, IngestRun::ceiling)), rate(median(runs, IngestRun::ackedIngestOnly)),
                ratio(median(runs, IngestRun::ackedIngestOnlyRatio)), rate(median(runs, IngestRun::ackedAllInOne)),
                ratio(median(runs, IngestRun::ackedAllInOneRatio)), rate(median(runs, IngestRun::endToEnd)),
                ratio(median(runs, IngestRun::endToEndRatio)),
                latency(medianMicros(runs, IngestRun::p99IngestOnlyMicros)),
                latency(medianMicros(runs, IngestRun::p99AllInOneMicros)), bytes(median(runs, IngestRun::walPerWebhook)));
        out.println();
    }

    /** The targets, judged on the runs' medians; the latencies in every run. */
    static void printTargets(PrintStream out, List<IngestRun> runs, int rate) {
        out.println();
        out.printf("  targets (2 cores; %s)%n", runs.size() == 1 ? "one run" : "median of " + runs.size() + " runs");
        target(out, "acknowledged/s / ceiling, workers paused", median(runs, IngestRun::ackedIngestOnlyRatio),
                IngestBenchmark.TARGET_ACKED_INGEST_ONLY);
        target(out, "acknowledged/s / ceiling, workers applying", median(runs, IngestRun::ackedAllInOneRatio),
                IngestBenchmark.TARGET_ACKED_ALL_IN_ONE);
        target(out, "applied end to end / ceiling", median(runs, IngestRun::endToEndRatio),
                IngestBenchmark.TARGET_END_TO_END);
        latencyTarget(out, String.format("p99 at %,d/s, workers paused", rate), runs, IngestRun::p99IngestOnlyMicros,
                IngestBenchmark.TARGET_P99_INGEST_ONLY.toMillis());
        latencyTarget(out, String.format("p99 at %,d/s, workers applying", rate), runs, IngestRun::p99AllInOneMicros,
                IngestBenchmark.TARGET_P99_ALL_IN_ONE.toMillis());
    }

    private static void target(PrintStream out, String what, double measured, double goal) {
        out.printf("    %-44s %6s  >= %.2f  %s%n", what, ratio(measured), goal,
                Double.isNaN(measured) ? "-" : measured >= goal ? "met" : "MISS");
    }

    private static void latencyTarget(PrintStream out, String what, List<IngestRun> runs,
                                      java.util.function.ToLongFunction<IngestRun> p99, long limitMs) {
        List<Long> measured = runs.stream().mapToLong(p99).filter(v -> v >= 0).boxed().toList();
        long met = measured.stream().filter(v -> v / 1000.0 < limitMs).count();
        out.printf("    %-44s %6s  <  %d ms  %s%n", what,
                measured.isEmpty() ? "-" : latency(measured.stream().max(Long::compare).orElseThrow()), limitMs,
                measured.isEmpty() ? "-" : (met == measured.size() ? "met" : "MISS") + " in " + met + " of "
                        + measured.size() + " run" + (measured.size() == 1 ? "" : "s") + " (the worst shown)");
    }

    private static long medianMicros(List<IngestRun> runs, java.util.function.ToLongFunction<IngestRun> figure) {
        double median = median(runs, r -> figure.applyAsLong(r));
        return Double.isNaN(median) ? -1 : (long) median;
    }

    static double median(List<IngestRun> runs, ToDoubleFunction<IngestRun> figure) {
        double[] values = runs.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v) && v >= 0).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static String rate(double v) {
        return Double.isNaN(v) ? "-" : String.format("%,.0f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.2f", v);
    }

    private static String latency(long micros) {
        return micros < 0 ? "-" : ms(micros);
    }

    private static String bytes(double v) {
        return Double.isNaN(v) ? "-" : String.format("%,.0f B", v);
    }
}
