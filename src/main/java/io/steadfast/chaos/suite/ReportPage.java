package io.steadfast.chaos.suite;

import io.steadfast.chaos.suite.Report.Bucket;
import io.steadfast.chaos.suite.ScenarioResult.Status;
import java.util.List;

/** report.html: one self-contained page, no scripts, readable offline. */
final class ReportPage {
    private static final int CHART_WIDTH = 560;
    private static final int CHART_HEIGHT = 140;

    private ReportPage() {
    }

    static String html(RunSummary s) {
        StringBuilder h = new StringBuilder("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Steadfast chaos report</title>
                <style>
                body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#1d232a;padding:0 1rem}
                table{border-collapse:collapse;margin:1rem 0}td,th{padding:.3rem .6rem;border-bottom:1px solid #dde}
                th{text-align:left;background:#f3f5f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
                .PASSED{color:#146c2e;font-weight:600}.FAILED{color:#b3261e;font-weight:700}.SKIPPED{color:#6b6f76}
                .verdict{font-size:1.2rem;padding:.6rem 1rem;border-radius:6px;background:#f3f5f8}
                code{background:#f3f5f8;padding:.1rem .3rem;border-radius:3px}section{margin:2rem 0}
                svg text{font-size:10px;fill:#555}
                </style></head><body>
                <h1>Steadfast chaos report</h1>
                """);
        h.append("<p class=\"verdict ").append(s.passed() ? "PASSED" : "FAILED").append("\">")
                .append(esc(s.verdictLine())).append("</p>\n<ul>");
        h.append("<li>reproduce: <code>").append(esc(s.command())).append("</code></li>");
        h.append("<li>seed ").append(s.seed()).append(", scale ").append(s.scale())
                .append(String.format(", %.1f s</li>", s.duration().toMillis() / 1000.0));
        h.append("<li>target: ").append(esc(s.target())).append("</li>");
        h.append("<li>Steadfast ").append(esc(s.versions().steadfast())).append(", Java ").append(esc(s.versions().java()))
                .append(", PostgreSQL ").append(esc(s.versions().postgresql())).append(", ")
                .append(esc(s.versions().machine())).append("</li></ul>\n");
        h.append("<table><tr>");
        ResultsTable.HEADER.forEach(column -> h.append("<th>").append(column).append("</th>"));
        h.append("</tr>\n");
        for (ScenarioResult r : s.results()) {
            List<String> cells = ResultsTable.cells(r);
            h.append("<tr><td><a href=\"#").append(r.name()).append("\">").append(r.name()).append("</a></td>");
            cells.subList(1, cells.size() - 1).forEach(cell -> h.append("<td class=n>").append(cell).append("</td>"));
            h.append("<td class=\"").append(r.status()).append("\">").append(r.status()).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (ScenarioResult r : s.results()) {
            h.append("<section id=\"").append(r.name()).append("\"><h2>").append(r.name()).append(" <span class=\"")
                    .append(r.status()).append("\">").append(r.status()).append("</span></h2><p>")
                    .append(esc(r.invariant())).append("</p><ul>");
            if (r.reason() != null) {
                h.append("<li>").append(r.status() == Status.SKIPPED ? "skipped: " : "error: ").append(esc(r.reason()))
                        .append("</li>");
            }
            r.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
            if (r.verdict() != null) {
                r.verdict().violations().forEach((k, n) -> h.append("<li class=FAILED>").append(esc(k)).append(" x")
                        .append(n).append("</li>"));
                r.verdict().examples().forEach(e -> h.append("<li><code>").append(esc(e)).append("</code></li>"));
            }
            h.append("</ul>");
            List<Bucket> buckets = Report.buckets(r.latency());
            if (!buckets.isEmpty()) {
                h.append("<p>Acknowledgement latency of ").append(r.latency().getTotalCount())
                        .append(" answered attempts (bars: attempts per latency bucket)</p>").append(chart(buckets));
            }
            h.append("</section>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String chart(List<Bucket> buckets) {
        long max = buckets.stream().mapToLong(Bucket::count).max().orElse(1);
        int barWidth = Math.max(8, (CHART_WIDTH - 40) / buckets.size() - 4);
        int width = 40 + buckets.size() * (barWidth + 4);
        StringBuilder svg = new StringBuilder("<svg width=\"" + width + "\" height=\"" + (CHART_HEIGHT + 30)
                + "\" role=\"img\" aria-label=\"latency histogram\">");
        svg.append("<text x=\"0\" y=\"10\">").append(max).append("</text>");
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            int height = (int) Math.round(CHART_HEIGHT * (double) b.count() / Math.max(1, max));
            int x = 40 + i * (barWidth + 4);
            svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#3b6fb6\">"
                            + "<title>&le; %s ms: %d</title></rect>", x, CHART_HEIGHT - height, barWidth, height,
                    ResultsTable.ms(b.upToMs()), b.count()));
            svg.append(String.format("<text x=\"%d\" y=\"%d\">%s</text>", x, CHART_HEIGHT + 14,
                    ResultsTable.ms(b.upToMs())));
        }
        svg.append("<text x=\"40\" y=\"").append(CHART_HEIGHT + 28).append("\">ms (upper bound of each bucket)</text>");
        return svg.append("</svg>").toString();
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
