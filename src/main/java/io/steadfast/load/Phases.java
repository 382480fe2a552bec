package io.steadfast.load;

import io.steadfast.inbox.Workers;
import io.steadfast.load.IngestBenchmark.Row;
import io.steadfast.terminal.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/** One run of the measured phases of {@code steadfast load ingest}, after the warm-up. */
final class Phases {
    private final LoadClient client;
    private final InboxDrain drain;
    private final LongFunction<LoadClient.Call> nextWebhook;
    private final LoadClient.Call noop;
    private final Optional<Workers> workers;
    private final Optional<Wal> wal;
    private final int bodyBytes;
    private final Duration phase;
    private final int rate;

    Phases(LoadClient client, InboxDrain drain, LongFunction<LoadClient.Call> nextWebhook, LoadClient.Call noop,
           Optional<Workers> workers, Optional<Wal> wal, int bodyBytes, Duration phase, int rate) {
        this.client = client;
        this.drain = drain;
        this.nextWebhook = nextWebhook;
        this.noop = noop;
        this.workers = workers;
        this.wal = wal;
        this.bodyBytes = bodyBytes;
        this.phase = phase;
        this.rate = rate;
    }

    /**
     * The trivial ceiling, webhooks with the workers paused (and the WAL they wrote), the backlog they left applied,
     * webhooks with the workers applying and everything applied, then the fixed rate paused and applying. Without an
     * own server (--url) only the phases that need no pausing run.
     */
    IngestRun run(int index, int of) {
        String of_ = of > 1 ? " " + index + "/" + of : "";
        List<Row> rows = new ArrayList<>();
        double ceiling = Double.NaN;
        double ackedIngestOnly = Double.NaN;
        double backlogApplied = Double.NaN;
        long p99IngestOnly = -1;
        double walPerWebhook = Double.NaN;
        if (workers.isPresent()) {
            LoadClient.Outcome trivial = client.closedLoop(phase, n -> noop, progress("trivial endpoint" + of_, "req"));
            rows.add(new Row("trivial POST (HTTP ceiling)", trivial));
            ceiling = trivial.perSecond();

            workers.get().pause();
            Optional<String> walStart = wal.map(Wal::position);
            LoadClient.Outcome ingestOnly = client.closedLoop(phase, nextWebhook,
                    progress("webhooks, workers paused" + of_, "ack"));
            walPerWebhook = walStart.map(at -> wal.get().bytesSince(at) / (double) Math.max(1, ingestOnly.ok()))
                    .orElse(Double.NaN);
            rows.add(new Row("webhooks acked, workers paused", ingestOnly));
            ackedIngestOnly = ingestOnly.perSecond();
            long drainStart = System.nanoTime();
            workers.get().resume();
            drain.await();
            backlogApplied = ingestOnly.ok() / ((System.nanoTime() - drainStart) / 1e9);
        }
        long allInOneStart = System.nanoTime();
        LoadClient.Outcome allInOne = client.closedLoop(phase, nextWebhook, progress("webhooks, workers on" + of_, "ack"));
        rows.add(new Row("webhooks acked, workers applying", allInOne));
        drain.await();
        double endToEnd = allInOne.ok() / ((System.nanoTime() - allInOneStart) / 1e9);

        if (workers.isPresent()) {
            workers.get().pause();
            LoadClient.Outcome paced = client.openLoop(rate, phase, nextWebhook,
                    progress("at " + rate + "/s, paused" + of_, "ack"));
            rows.add(new Row(String.format("at %,d/s, workers paused", rate), paced));
            p99IngestOnly = paced.latencyMicros().getValueAtPercentile(99);
            workers.get().resume();
            drain.await();
        }
        LoadClient.Outcome paced = client.openLoop(rate, phase, nextWebhook,
                progress("at " + rate + "/s, workers on" + of_, "ack"));
        rows.add(new Row(String.format("at %,d/s, workers applying", rate), paced));
        drain.await();
        return new IngestRun(index, ceiling, ackedIngestOnly, backlogApplied, allInOne.perSecond(), endToEnd,
                p99IngestOnly, paced.latencyMicros().getValueAtPercentile(99), walPerWebhook, bodyBytes, rows);
    }

    private static Progress progress(String label, String unit) {
        return new Progress(System.err, label, unit);
    }
}
