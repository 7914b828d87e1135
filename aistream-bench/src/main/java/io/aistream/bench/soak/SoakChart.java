package io.aistream.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a soak's samples as an SVG document: one panel per group of figures ({@link Figure#PANELS}),
 * time on x, the traffic phases as shaded bands with their names, and each figure's baseline as a
 * dashed line of its colour. Plain text building, no graphics library: the output is diffable and
 * opens in any browser. Stateless.
 */
final class SoakChart {
    static final int WIDTH = 1000;
    static final int PANEL_HEIGHT = 170;
    private static final int LEFT = 70;
    private static final int RIGHT = 210;
    private static final int TOP = 50;
    private static final int GAP = 36;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"};
    private static final Map<String, String> PHASE_FILL = Map.of(
            "warm-up", "#eeeeee",
            "baseline", "#d9f0d3",
            "traffic", "#fff7e0",
            "flood", "#fdd0a2",
            "settle", "#deebf7",
            "drain", "#deebf7",
            "final", "#d9f0d3");

    private SoakChart() {}

    /** A run of consecutive samples in one phase, from {@code start} to {@code end} seconds. */
    record Band(String phase, double start, double end) {}

    /** The phase bands of {@code samples} (in time order); a band ends where the next begins. */
    static List<Band> bands(List<Sample> samples) {
        List<Band> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            double end = i + 1 < samples.size() ? samples.get(i + 1).seconds() : s.seconds();
            if (!out.isEmpty() && out.getLast().phase().equals(s.phase())) {
                Band last = out.removeLast();
                out.add(new Band(last.phase(), last.start(), end));
            } else {
                out.add(new Band(s.phase(), s.seconds(), end));
            }
        }
        return out;
    }

    /**
     * The SVG of {@code samples}.
     *
     * @param baseline the reading the figures should come back to (dashed lines), or null
     * @throws IllegalArgumentException when there are no samples
     */
    static String render(List<Sample> samples, Sample baseline, String title) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to chart");
        }
        int panels = Figure.PANELS.length;
        int height = TOP + panels * (PANEL_HEIGHT + GAP) + 20;
        double t0 = samples.getFirst().seconds();
        double t1 = Math.max(samples.getLast().seconds(), t0 + 1);
        int plotW = WIDTH - LEFT - RIGHT;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">%n",
                WIDTH,
                height,
                WIDTH,
                height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(LEFT, 24, escape(title), "font-size=\"15\" font-weight=\"bold\""));
        List<Band> bands = bands(samples);
        for (int p = 0; p < panels; p++) {
            int top = TOP + p * (PANEL_HEIGHT + GAP);
            List<Figure> figures = new ArrayList<>();
            for (Figure f : Figure.values()) {
                if (f.panel == p) {
                    figures.add(f);
                }
            }
            double max = 0;
            for (Figure f : figures) {
                for (Sample s : samples) {
                    double v = f.display(s);
                    if (!Double.isNaN(v)) {
                        max = Math.max(max, v);
                    }
                }
            }
            double yMax = niceCeiling(max);
            for (Band b : bands) {
                double x0 = LEFT + (b.start() - t0) / (t1 - t0) * plotW;
                double x1 = LEFT + (b.end() - t0) / (t1 - t0) * plotW;
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                        x0,
                        top,
                        Math.max(x1 - x0, 1),
                        PANEL_HEIGHT,
                        PHASE_FILL.getOrDefault(b.phase(), "#f5f5f5")));
                if (p == 0 && x1 - x0 > 30) {
                    svg.append(text(x0 + 3, top + 12, escape(b.phase()), "fill=\"#555\""));
                }
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
                    LEFT,
                    top,
                    plotW,
                    PANEL_HEIGHT));
            svg.append(text(LEFT, top - 6, escape(Figure.PANELS[p]), "font-weight=\"bold\""));
            for (int k = 0; k <= 4; k++) {
                double v = yMax * k / 4;
                double y = top + PANEL_HEIGHT - (double) PANEL_HEIGHT * k / 4;
                svg.append(text(LEFT - 6, y + 4, number(v), "text-anchor=\"end\""));
            }
            for (int c = 0; c < figures.size(); c++) {
                Figure f = figures.get(c);
                String color = COLORS[c % COLORS.length];
                StringBuilder pts = new StringBuilder();
                for (Sample s : samples) {
                    double v = f.display(s);
                    if (Double.isNaN(v)) {
                        if (!pts.isEmpty()) {
                            svg.append(polyline(pts, color, ""));
                            pts.setLength(0);
                        }
                        continue;
                    }
                    double x = LEFT + (s.seconds() - t0) / (t1 - t0) * plotW;
                    double y = top + PANEL_HEIGHT - v / yMax * PANEL_HEIGHT;
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                }
                if (!pts.isEmpty()) {
                    svg.append(polyline(pts, color, ""));
                }
                if (baseline != null && !Double.isNaN(f.display(baseline))) {
                    double y = top + PANEL_HEIGHT - f.display(baseline) / yMax * PANEL_HEIGHT;
                    svg.append(String.format(
                            Locale.ROOT,
                            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"4 3\""
                                    + " stroke-width=\"1\"/>%n",
                            LEFT,
                            y,
                            LEFT + plotW,
                            y,
                            color));
                }
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>%n",
                        LEFT + plotW + 10,
                        top + 10 + c * 16,
                        color));
                svg.append(text(LEFT + plotW + 26, top + 15 + c * 16, escape(f.label), ""));
            }
            int axisY = top + PANEL_HEIGHT + 14;
            for (int k = 0; k <= 10; k++) {
                double t = t0 + (t1 - t0) * k / 10;
                svg.append(text(LEFT + (double) plotW * k / 10, axisY, number(t) + " s", "text-anchor=\"middle\""));
            }
        }
        svg.append(text(
                LEFT,
                height - 6,
                "dashed: baseline (after warm-up and a full GC); bands: traffic phases",
                "fill=\"#555\""));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^k at or above {@code v} (at least 1). */
    static double niceCeiling(double v) {
        if (!(v > 1)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String polyline(CharSequence points, String color, String extra) {
        return "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"1.6\" " + extra + "points=\""
                + points.toString().strip() + "\"/>\n";
    }

    private static String text(double x, double y, String body, String attrs) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, attrs, body);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
