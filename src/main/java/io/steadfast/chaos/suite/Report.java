package io.steadfast.chaos.suite;

import io.steadfast.chaos.History;
import io.steadfast.chaos.Verdict;
import io.steadfast.chaos.suite.ScenarioResult.Status;
import io.steadfast.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** The run written down: report.md and report.json, report.html with a latency chart per scenario, the histories. */
final class Report {

    private Report() {
    }

    /** A bar of the latency chart: attempts that took at most {@code upToMs}. */
    record Bucket(double upToMs, long count) {
    }

    static void write(Path dir, RunSummary summary, List<ScenarioResult> results) {
        try {
            Files.createDirectories(dir);
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("report.json").toFile(), json(summary));
            Files.writeString(dir.resolve("report.md"), markdown(summary));
            Files.writeString(dir.resolve("report.html"), ReportPage.html(summary));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Every attempt of a scenario, one JSON object per line, in the order they happened. */
    static void writeHistory(Path dir, String scenario, History history) {
        try {
            Files.createDirectories(dir.resolve("histories"));
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("histories").resolve(scenario + ".jsonl"))) {
                for (History.Entry e : history.entries()) {
                    w.write(Json.write(e));
                    w.newLine();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyLogs(Path from, Path to) {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (var logs = Files.list(from)) {
            Files.createDirectories(to);
            for (Path log : logs.toList()) {
                Files.copy(log, to.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the process logs to " + to + ": " + e.getMessage(), e);
        }
    }

    /** Latency in doubling buckets from 1 ms; empty when nothing was timed. */
    static List<Bucket> buckets(Histogram latency) {
        List<Bucket> buckets = new ArrayList<>();
        if (latency == null || latency.getTotalCount() == 0) {
            return buckets;
        }
        for (HistogramIterationValue v : latency.logarithmicBucketValues(1_000_000L, 2.0)) {
            buckets.add(new Bucket(v.getValueIteratedTo() / 1e6, v.getCountAddedInThisIterationStep()));
        }
        return buckets;
    }

    private static Map<String, Object> json(RunSummary s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("verdict", s.passed() ? "pass" : "fail");
        json.put("seed", s.seed());
        json.put("scale", s.scale());
        json.put("command", s.command());
        json.put("target", s.target());
        json.put("versions", s.versions());
        json.put("duration_s", s.duration().toMillis() / 1000.0);
        List<Object> scenarios = new ArrayList<>();
        for (ScenarioResult r : s.results()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", r.name());
            o.put("invariant", r.invariant());
            o.put("status", r.status().name().toLowerCase());
            o.put("reason", r.reason());
            Verdict v = r.verdict();
            if (v != null) {
                o.put("events", v.events());
                o.put("acknowledged", v.acknowledged());
                o.put("stored", v.stored());
                o.put("duplicates", v.duplicates());
                o.put("lost", v.lost());
                o.put("order_violations", v.orderViolations());
                o.put("violations", v.violations());
                o.put("examples", v.examples());
            }
            o.put("attempts", Map.of("ok", r.ok(), "fail", r.fail(), "info", r.info()));
            Map<String, Object> latency = new LinkedHashMap<>();
            for (double p : new double[] {50, 95, 99, 100}) {
                double ms = r.latencyMs(p);
                latency.put(p == 100 ? "max" : "p" + (int) p, Double.isNaN(ms) ? null : ms);
            }
            o.put("ack_latency_ms", latency);
            o.put("latency_histogram", buckets(r.latency()));
            o.put("duration_s", r.duration().toMillis() / 1000.0);
            o.put("notes", r.notes());
            scenarios.add(o);
        }
        json.put("scenarios", scenarios);
        return json;
    }

    private static String markdown(RunSummary s) {
        StringBuilder md = new StringBuilder("# Steadfast chaos report\n\n");
        md.append("**").append(s.verdictLine()).append("**\n\n");
        md.append("- reproduce: `").append(s.command()).append("`\n");
        md.append("- seed: ").append(s.seed()).append(", scale: ").append(s.scale()).append('\n');
        md.append("- target: ").append(s.target()).append('\n');
        md.append("- versions: Steadfast ").append(s.versions().steadfast()).append(", Java ")
                .append(s.versions().java()).append(", PostgreSQL ").append(s.versions().postgresql()).append(", ")
                .append(s.versions().machine()).append('\n');
        md.append(String.format("- duration: %.1f s%n%n", s.duration().toMillis() / 1000.0));
        md.append("| ").append(String.join(" | ", ResultsTable.HEADER)).append(" |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (ScenarioResult r : s.results()) {
            md.append("| ").append(String.join(" | ", ResultsTable.cells(r))).append(" |\n");
        }
        md.append("\n## Scenarios\n");
        for (ScenarioResult r : s.results()) {
            md.append("\n### ").append(r.name()).append(" - ").append(r.status()).append("\n\n");
            md.append(r.invariant()).append("\n\n");
            if (r.reason() != null) {
                md.append("- ").append(r.status() == Status.SKIPPED ? "skipped: " : "error: ").append(r.reason()).append('\n');
            }
            r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
            if (r.status() != Status.SKIPPED) {
                md.append(String.format("- attempts: %d ok, %d fail, %d info%n", r.ok(), r.fail(), r.info()));
            }
            if (r.verdict() != null) {
                r.verdict().violations().forEach((k, n) -> md.append("- violation: ").append(k).append(" x").append(n).append('\n'));
                r.verdict().examples().forEach(e -> md.append("  - ").append(e).append('\n'));
            }
        }
        return md.toString();
    }
}
