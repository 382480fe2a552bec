package io.steadfast.terminal;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header, a rule, rows; text columns left-aligned, the rest right-aligned. */
public final class Table {
    private final List<String> header;
    private final int leftAligned;
    private final List<List<String>> rows = new ArrayList<>();

    /** The first {@code leftAligned} columns are text; the others are numbers. */
    public Table(int leftAligned, String... header) {
        this.header = List.of(header);
        this.leftAligned = leftAligned;
    }

    public Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(String.valueOf(c));
        }
        rows.add(row);
        return this;
    }

    public String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        List<String> rule = new ArrayList<>();
        for (int w : widths) {
            rule.add("-".repeat(w));
        }
        line(out, rule, widths);
        rows.forEach(r -> line(out, r, widths));
        return out.toString();
    }

    /** The same table in Markdown (pipes in cells escaped). */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        markdownLine(out, header);
        List<String> rule = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            rule.add(i < leftAligned ? "---" : "---:");
        }
        markdownLine(out, rule);
        rows.forEach(r -> markdownLine(out, r));
        return out.toString();
    }

    private static void markdownLine(StringBuilder out, List<String> cells) {
        out.append('|');
        cells.forEach(c -> out.append(' ').append(c.replace("|", "\\|")).append(" |"));
        out.append('\n');
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append(' ');
        for (int i = 0; i < cells.size(); i++) {
            String format = i < leftAligned ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
            out.append(' ').append(String.format(format, cells.get(i)));
        }
        while (out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
        out.append('\n');
    }
}
