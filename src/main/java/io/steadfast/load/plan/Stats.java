package io.steadfast.load.plan;

import org.HdrHistogram.Histogram;

/** One series' figures over a run: requests answered well and not, latency in milliseconds, answered per second. */
public record Stats(String series, long ok, long failed, double p50, double p90, double p95, double p99, double p999,
                    double max, double mean, double rate) {

    static Stats of(String series, long ok, long failed, Histogram micros, double seconds) {
        boolean empty = micros.getTotalCount() == 0;
        return new Stats(series, ok, failed, ms(micros, 50, empty), ms(micros, 90, empty), ms(micros, 95, empty),
                ms(micros, 99, empty), ms(micros, 99.9, empty), empty ? 0 : micros.getMaxValue() / 1000.0,
                empty ? 0 : micros.getMean() / 1000.0, seconds > 0 ? ok / seconds : 0);
    }

    private static double ms(Histogram h, double percentile, boolean empty) {
        return empty ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public long requests() {
        return ok + failed;
    }

    public double failedShare() {
        return requests() == 0 ? 0 : failed / (double) requests();
    }
}
