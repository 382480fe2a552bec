package io.steadfast.load.plan;

import java.util.List;
import java.util.Locale;

/** A line chart as inline SVG, so that the HTML report needs no script and no network to show it. */
final class SvgChart {
    /** One line: its name in the legend, and its points. */
    record Line(String name, double[] xs, double[] ys) {
    }

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 260;
    private static final int LEFT = 60;
    private static final int RIGHT = 150;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;
    /** A percentile axis ends at 99.999: each tick is one more nine. */
    private static final double LOG_X_MAX = 5;
    private static final String[] LOG_X_LABELS = {"0", "90", "99", "99.9", "99.99", "99.999"};

    private SvgChart() {
    }

    /**
     * {@code logX}: x drawn as -log10(1 - x/100), which spreads the tail of a percentile distribution; NaN values
     * are left out (a second without requests has no latency).
     */
    static String render(String title, String xLabel, String yLabel, List<Line> lines, boolean logX) {
        double xMax = 0;
        double yMax = 0;
        for (Line l : lines) {
            for (int i = 0; i < l.xs().length; i++) {
                if (!Double.isNaN(l.ys()[i])) {
                    xMax = Math.max(xMax, x(l.xs()[i], logX));
                    yMax = Math.max(yMax, l.ys()[i]);
                }
            }
        }
        xMax = logX ? LOG_X_MAX : xMax <= 0 ? 1 : xMax;
        yMax = yMax <= 0 ? 1 : niceCeiling(yMax);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "font-family='sans-serif' font-size='11'>", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='16' font-size='13' font-weight='bold'>%s</text>", LEFT,
                escape(title)));
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH - plotH * i / 4;
            svg.append(String.format(Locale.ROOT, "<line x1='%d' x2='%.1f' y1='%.1f' y2='%.1f' stroke='#ddd'/>"
                    + "<text x='%d' y='%.1f' text-anchor='end'>%s</text>", LEFT, LEFT + plotW, y, y, LEFT - 4, y + 4,
                    number(yMax * i / 4)));
        }
        for (int i = 0; i <= 5; i++) {
            double xv = xMax * i / 5;
            double px = LEFT + plotW * i / 5;
            String label = logX ? LOG_X_LABELS[i] : number(xv);
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>", px,
                    HEIGHT - BOTTOM + 14, label));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>", LEFT + plotW / 2,
                HEIGHT - 6, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x='12' y='%.1f' transform='rotate(-90 12 %.1f)' "
                + "text-anchor='middle'>%s</text>", TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        for (int k = 0; k < lines.size(); k++) {
            Line l = lines.get(k);
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < l.xs().length; i++) {
                if (!Double.isNaN(l.ys()[i])) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotW * x(l.xs()[i], logX) / xMax,
                            TOP + plotH - plotH * Math.min(l.ys()[i], yMax) / yMax));
                }
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='1.5' points='%s'/>",
                    colour, points.toString().trim()));
            double ly = TOP + 12 + k * 16;
            svg.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%.1f' width='10' height='10' fill='%s'/>"
                    + "<text x='%.1f' y='%.1f'>%s</text>", LEFT + plotW + 12, ly - 9, colour, LEFT + plotW + 26, ly,
                    escape(l.name())));
        }
        return svg.append("</svg>").toString();
    }

    private static double x(double value, boolean logX) {
        return logX ? Math.min(LOG_X_MAX, -Math.log10(Math.max(1e-9, 1 - value / 100))) : value;
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (v <= step * magnitude) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
