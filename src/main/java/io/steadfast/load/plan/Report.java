package io.steadfast.load.plan;

import io.steadfast.json.Json;
import io.steadfast.terminal.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What a scenario found, in seed 004's results template: its configuration, p50/p95/p99/max per series, throughput,
 * errors, resource use over time, the thresholds and checks with their verdicts, and the bottlenecks seen. Written
 * as Markdown, JSON and an HTML page with charts; a summary goes to the terminal.
 */
public final class Report {
    /** A threshold as judged: the value found and whether it held. */
    public record Verdict(String threshold, String series, double value, String shown, boolean holds, double margin) {
    }

    /** A scenario's own pass/fail finding that no latency threshold expresses (drops, Retry-After, recovery). */
    public record Check(String name, boolean passed, String detail) {
    }

    private final String scenario;
    private final String summary;
    private final Instant at = Instant.now();
    private final Map<String, String> configuration = new LinkedHashMap<>();
    private final List<OpenLoad.Result> results = new ArrayList<>();
    private final Map<String, Series> series = new LinkedHashMap<>();
    private final List<Resources.Sample> resources = new ArrayList<>();
    private final List<Verdict> verdicts = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long late;

    public Report(String scenario, String summary) {
        this.scenario = scenario;
        this.summary = summary;
    }

    public Report configure(String name, Object value) {
        configuration.put(name, String.valueOf(value));
        return this;
    }

    /** Adds a run's series (their names must differ from those already added). */
    public Report add(OpenLoad.Result result) {
        results.add(result);
        series.putAll(result.series());
        late += result.late();
        return this;
    }

    public List<Resources.Sample> resources() {
        return List.copyOf(resources);
    }

    public Report resources(List<Resources.Sample> samples) {
        resources.addAll(samples);
        return this;
    }

    public Report check(String name, boolean passed, String detail) {
        checks.add(new Check(name, passed, detail));
        return this;
    }

    /** A bottleneck or an observation, in the report's own words. */
    public Report finding(String text) {
        findings.add(text);
        return this;
    }

    public Report note(String text) {
        notes.add(text);
        return this;
    }

    /** Every series' figures as they stand now (a series measured elsewhere may still have grown after its run). */
    public List<Stats> stats() {
        List<Stats> all = new ArrayList<>();
        results.forEach(r -> all.addAll(r.stats()));
        return all;
    }

    /**
     * Judges each threshold: against its series, or, without one, against every series of the report (each must
     * hold it).
     */
    public Report judge(List<Threshold> thresholds) {
        for (Threshold t : thresholds) {
            List<Stats> stats = stats();
            List<Stats> targets = stats.stream().filter(s -> t.series() == null || s.series().equals(t.series())).toList();
            if (targets.isEmpty()) {
                checks.add(new Check("threshold " + t.text(), false, "no series named '" + t.series() + "' in this"
                        + " scenario; it has " + stats.stream().map(Stats::series).toList()));
            }
            for (Stats s : targets) {
                double value = t.valueIn(s);
                verdicts.add(new Verdict(t.text(), s.series(), value, t.format(value), t.holds(value), t.margin(value)));
            }
        }
        return this;
    }

    public boolean passed() {
        return verdicts.stream().allMatch(Verdict::holds) && checks.stream().allMatch(Check::passed);
    }

    private List<String> bottlenecks() {
        List<String> found = new ArrayList<>(findings);
        long scheduled = results.stream().flatMap(r -> r.stats().stream()).mapToLong(Stats::requests).sum();
        if (scheduled > 0 && late > scheduled / 100) {
            found.add(String.format("The load generator started %,d of %,d requests more than 100 ms after they were due"
                    + " (every connection busy): their latency includes that wait, as a user's would.", late, scheduled));
        }
        peak(Resources.Sample::cpu).ifPresent(cpu -> {
            if (cpu >= 90) {
                found.add(String.format("CPU: the target's process peaked at %.0f%% of the machine's %d cores: CPU-bound"
                        + " at this rate.", cpu, Runtime.getRuntime().availableProcessors()));
            }
        });
        resources.stream().filter(r -> r.poolActive() > 0 && r.poolActive() >= r.poolMax()).findFirst().ifPresent(r ->
                found.add(String.format("The connection pool was full (%.0f of %.0f busy) at second %.0f: requests waited for"
                        + " a connection (STEADFAST_POOL_SIZE).", r.poolActive(), r.poolMax(), r.second())));
        for (Map.Entry<String, Series> e : series.entrySet()) {
            e.getValue().failures().entrySet().stream().limit(3).forEach(f -> found.add(String.format(
                    "%s: %,d failed with %s", e.getKey(), f.getValue(), f.getKey())));
        }
        return found;
    }

    private java.util.OptionalDouble peak(ToDoubleFunction<Resources.Sample> measure) {
        return Resources.peak(resources, measure);
    }

    private Table latencyTable() {
        Table t = new Table(1, "series", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms", "answered/s", "failed");
        for (Stats s : stats()) {
            t.row(s.series(), String.format("%,d", s.requests()), ms(s.p50()), ms(s.p95()), ms(s.p99()), ms(s.max()),
                    String.format("%,.1f", s.rate()), String.format("%,d (%.3f%%)", s.failed(), s.failedShare() * 100));
        }
        return t;
    }

    private Table verdictTable() {
        Table t = new Table(2, "threshold", "series", "found", "verdict", "margin");
        verdicts.forEach(v -> t.row(v.threshold(), v.series(), v.shown(), v.holds() ? "pass" : "FAIL",
                Double.isInfinite(v.margin()) ? "-" : String.format("%.2fx", v.margin())));
        checks.forEach(c -> t.row(c.name(), "", c.detail(), c.passed() ? "pass" : "FAIL", ""));
        return t;
    }

    private Table resourceTable() {
        Table t = new Table(1, "resource", "start", "peak", "end");
        addResource(t, "process CPU %", Resources.Sample::cpu);
        addResource(t, "heap used MB", Resources.Sample::heapMb);
        addResource(t, "live threads", Resources.Sample::threads);
        addResource(t, "database sessions", Resources.Sample::databaseConnections);
        addResource(t, "pool connections busy", Resources.Sample::poolActive);
        addResource(t, "inbox depth (pending)", Resources.Sample::inboxPending);
        return t;
    }

    private void addResource(Table t, String name, ToDoubleFunction<Resources.Sample> measure) {
        if (resources.isEmpty()) {
            return;
        }
        t.row(name, number(measure.applyAsDouble(resources.getFirst())),
                peak(measure).isPresent() ? number(peak(measure).getAsDouble()) : "-",
                number(measure.applyAsDouble(resources.getLast())));
    }

    /** Prints the summary and writes report.md, report.json and report.html into {@code dir}. */
    public void publish(PrintStream out, Path dir) {
        out.println();
        out.print(latencyTable().render());
        if (!resources.isEmpty()) {
            out.println();
            out.print(resourceTable().render());
        }
        out.println();
        out.print(verdictTable().render());
        bottlenecks().forEach(b -> out.println("  - " + b));
        notes.forEach(n -> out.println("  " + n));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), markdown());
            Files.writeString(dir.resolve("report.json"), Json.write(json()));
            Files.writeString(dir.resolve("report.html"), html());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report into " + dir, e);
        }
        out.printf("%n  %s. Report: %s (report.md, report.json, report.html)%n", passed() ? "PASSED: every threshold"
                + " and check held" : "FAILED: a threshold or check did not hold (exit 99)", dir.toAbsolutePath());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Load test results: ").append(scenario).append(" (").append(at).append(")\n\n")
                .append(summary).append("\n\n## Test configuration\n");
        configuration.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\n## Performance metrics\n").append(latencyTable().markdown());
        if (!resources.isEmpty()) {
            md.append("\n## Resource utilization\n").append(resourceTable().markdown());
        }
        md.append("\n## Thresholds and checks\n").append(verdictTable().markdown());
        md.append("\n## Bottlenecks identified\n");
        List<String> b = bottlenecks();
        if (b.isEmpty()) {
            md.append("None seen at this load.\n");
        }
        b.forEach(x -> md.append("1. ").append(x).append('\n'));
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        md.append("\n## PASS/FAIL\n").append(passed() ? "PASS" : "FAIL").append(": ")
                .append(verdicts.stream().filter(Verdict::holds).count()).append(" of ").append(verdicts.size())
                .append(" thresholds held; ").append(checks.stream().filter(Check::passed).count()).append(" of ")
                .append(checks.size()).append(" checks passed.\n");
        return md.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("scenario", scenario);
        j.put("at", at.toString());
        j.put("passed", passed());
        j.put("configuration", configuration);
        j.put("stats", stats());
        Map<String, Object> timelines = new LinkedHashMap<>();
        Map<String, Object> distributions = new LinkedHashMap<>();
        Map<String, Object> failures = new LinkedHashMap<>();
        series.forEach((name, s) -> {
            timelines.put(name, s.points());
            distributions.put(name, s.distribution());
            failures.put(name, s.failures());
        });
        j.put("timeline", timelines);
        j.put("distribution", distributions);
        j.put("failures", failures);
        j.put("resources", resources);
        j.put("thresholds", verdicts);
        j.put("checks", checks);
        j.put("bottlenecks", bottlenecks());
        j.put("notes", notes);
        return j;
    }

    String html() {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset='utf-8'><title>Steadfast load: ")
                .append(scenario).append("</title><style>body{font-family:sans-serif;margin:2em;max-width:60em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}.fail{color:#c00;font-weight:bold}"
                        + ".pass{color:#080}</style></head><body>");
        h.append("<h1>").append(SvgChart.escape(scenario)).append(" <span class='").append(passed() ? "pass'>PASS" : "fail'>FAIL")
                .append("</span></h1><p>").append(SvgChart.escape(summary)).append("</p><p>").append(at).append("</p><ul>");
        configuration.forEach((k, v) -> h.append("<li>").append(SvgChart.escape(k)).append(": ").append(SvgChart.escape(v))
                .append("</li>"));
        h.append("</ul><h2>Performance</h2>").append(htmlTable(latencyTable()));
        List<SvgChart.Line> p95 = new ArrayList<>();
        List<SvgChart.Line> rate = new ArrayList<>();
        List<SvgChart.Line> distribution = new ArrayList<>();
        series.forEach((name, s) -> {
            List<Series.Point> pts = s.points();
            double[] xs = pts.stream().mapToDouble(Series.Point::second).toArray();
            p95.add(new SvgChart.Line(name + " p95", xs, pts.stream().mapToDouble(p -> answered(p) ? p.p95() : Double.NaN).toArray()));
            p95.add(new SvgChart.Line(name + " p99", xs, pts.stream().mapToDouble(p -> answered(p) ? p.p99() : Double.NaN).toArray()));
            rate.add(new SvgChart.Line(name, xs, pts.stream().mapToDouble(p -> p.ok() + p.failed()).toArray()));
            Map<Double, Double> d = s.distribution();
            distribution.add(new SvgChart.Line(name, d.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                    d.values().stream().mapToDouble(Double::doubleValue).toArray()));
        });
        if (!series.isEmpty()) {
            h.append(SvgChart.render("Latency over time (from when each request was due)", "second of the run", "ms",
                    p95, false));
            h.append(SvgChart.render("Throughput over time", "second of the run", "answered per second", rate, false));
            h.append(SvgChart.render("Percentile distribution", "percentile", "ms", distribution, true));
        }
        if (!resources.isEmpty()) {
            h.append("<h2>Resources</h2>").append(htmlTable(resourceTable()));
            double[] xs = resources.stream().mapToDouble(Resources.Sample::second).toArray();
            h.append(SvgChart.render("Process CPU and heap", "second", "% / MB", List.of(
                    new SvgChart.Line("CPU %", xs, resources.stream().mapToDouble(Resources.Sample::cpu).toArray()),
                    new SvgChart.Line("heap MB", xs, resources.stream().mapToDouble(Resources.Sample::heapMb).toArray())),
                    false));
            h.append(SvgChart.render("Database sessions, busy pool connections, inbox depth", "second", "count", List.of(
                    new SvgChart.Line("db sessions", xs, resources.stream().mapToDouble(Resources.Sample::databaseConnections).toArray()),
                    new SvgChart.Line("pool busy", xs, resources.stream().mapToDouble(Resources.Sample::poolActive).toArray()),
                    new SvgChart.Line("inbox depth", xs, resources.stream().mapToDouble(Resources.Sample::inboxPending).toArray())),
                    false));
        }
        h.append("<h2>Thresholds and checks</h2>").append(htmlTable(verdictTable())).append("<h2>Bottlenecks</h2><ol>");
        bottlenecks().forEach(b -> h.append("<li>").append(SvgChart.escape(b)).append("</li>"));
        h.append("</ol>");
        notes.forEach(n -> h.append("<p>").append(SvgChart.escape(n)).append("</p>"));
        return h.append("</body></html>").toString();
    }

    private static boolean answered(Series.Point p) {
        return p.ok() + p.failed() > 0;
    }

    private static String htmlTable(Table t) {
        StringBuilder h = new StringBuilder("<table>");
        String[] lines = t.markdown().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (i == 1) {
                continue;
            }
            String cell = i == 0 ? "th" : "td";
            h.append("<tr>");
            for (String c : lines[i].substring(1, lines[i].length() - 1).split(" \\| ", -1)) {
                String text = c.trim().replace("\\|", "|");
                String cls = text.equals("FAIL") ? " class='fail'" : text.equals("pass") ? " class='pass'" : "";
                h.append('<').append(cell).append(cls).append('>').append(SvgChart.escape(text)).append("</").append(cell).append('>');
            }
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }

    private static String ms(double v) {
        return String.format("%.1f", v);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "-" : String.format("%,.0f", v);
    }
}
