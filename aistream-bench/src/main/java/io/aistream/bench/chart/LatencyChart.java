package io.aistream.bench.chart;

import io.aistream.bench.load.LoadReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws added latency per chunk (p50, p90, p99, max) against concurrent streams from load reports,
 * as a PNG, with java.awt in headless mode. Both axes are logarithmic. Reports with the same
 * protocol, target, rate and reader mode form one series (one colour); the percentiles are the
 * line styles.
 */
public final class LatencyChart {
    private static final int W = 960;
    private static final int H = 600;
    private static final int LEFT = 80;
    private static final int RIGHT = 250;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {
        new Color(0x1f77b4),
        new Color(0xd62728),
        new Color(0x2ca02c),
        new Color(0x9467bd),
        new Color(0xff7f0e),
        new Color(0x17becf),
        new Color(0x8c564b)
    };
    private static final double FLOOR_MS = 0.001;

    private record Percentile(String name, ToDoubleFunction<LoadReport.Latency> value, Stroke stroke) {}

    private static final List<Percentile> PERCENTILES = List.of(
            new Percentile("p50", LoadReport.Latency::p50, new BasicStroke(2.5f)),
            new Percentile(
                    "p90",
                    LoadReport.Latency::p90,
                    new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {10, 5}, 0)),
            new Percentile(
                    "p99",
                    LoadReport.Latency::p99,
                    new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {3, 4}, 0)),
            new Percentile(
                    "max",
                    LoadReport.Latency::max,
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {1, 3}, 0)));

    private LatencyChart() {}

    /** The series a report belongs to. */
    static String seriesOf(LoadReport r) {
        LoadReport.Config c = r.config();
        String rate = c.rate() == 0 ? "unpaced" : fmt(c.rate()) + " chunks/s";
        return c.protocol() + " " + c.target().replaceFirst("^https?://", "") + ", " + rate
                + (c.slowReader() ? ", slow" : "");
    }

    /** Draws the chart of {@code reports} into {@code out} (PNG). */
    public static void write(List<LoadReport> reports, String title, Path out) throws IOException {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("no reports to chart");
        }
        BufferedImage img = render(reports, title);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", out.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    static BufferedImage render(List<LoadReport> reports, String title) {
        Map<String, List<LoadReport>> series = new LinkedHashMap<>();
        for (LoadReport r : reports) {
            series.computeIfAbsent(seriesOf(r), k -> new ArrayList<>()).add(r);
        }
        series.values()
                .forEach(l -> l.sort(Comparator.comparingInt(r -> r.config().streams())));
        TreeSet<Integer> xs = new TreeSet<>();
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (LoadReport r : reports) {
            xs.add(r.config().streams());
            for (Percentile p : PERCENTILES) {
                double v =
                        Math.max(FLOOR_MS, p.value().applyAsDouble(r.latency().chunk()));
                yMin = Math.min(yMin, v);
                yMax = Math.max(yMax, v);
            }
        }
        double ly0 = Math.floor(Math.log10(yMin));
        double ly1 = Math.max(ly0 + 1, Math.ceil(Math.log10(yMax)));
        double lx0 = Math.log10(xs.first());
        double lx1 = Math.log10(xs.last());
        if (lx1 - lx0 < 1e-9) {
            lx0 -= 0.5;
            lx1 += 0.5;
        } else {
            double pad = (lx1 - lx0) * 0.05;
            lx0 -= pad;
            lx1 += pad;
        }
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        final double fx0 = lx0;
        final double fx1 = lx1;
        ToDoubleFunction<Double> px = x -> LEFT + (Math.log10(x) - fx0) / (fx1 - fx0) * pw;
        ToDoubleFunction<Double> py = y -> TOP + ph - (Math.log10(Math.max(FLOOR_MS, y)) - ly0) / (ly1 - ly0) * ph;

        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.setColor(Color.BLACK);
            g.drawString(title, LEFT, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            // grid and y labels: decades
            for (double d = ly0; d <= ly1 + 1e-9; d++) {
                int y = (int) Math.round(py.applyAsDouble(Math.pow(10, d)));
                g.setColor(new Color(0xdddddd));
                g.drawLine(LEFT, y, LEFT + pw, y);
                g.setColor(Color.DARK_GRAY);
                String label = fmt(Math.pow(10, d)) + " ms";
                g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
            }
            for (int x : xs) {
                int xp = (int) Math.round(px.applyAsDouble((double) x));
                g.setColor(new Color(0xeeeeee));
                g.drawLine(xp, TOP, xp, TOP + ph);
                g.setColor(Color.DARK_GRAY);
                String label = Integer.toString(x);
                g.drawString(label, xp - g.getFontMetrics().stringWidth(label) / 2, TOP + ph + 18);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, pw, ph);
            g.drawString("concurrent streams", LEFT + pw / 2 - 50, H - 18);
            Graphics2D gy = (Graphics2D) g.create();
            gy.rotate(-Math.PI / 2);
            gy.drawString("added latency per chunk (ms, log)", -(TOP + ph / 2 + 100), 20);
            gy.dispose();

            int legendY = TOP + 10;
            int si = 0;
            for (Map.Entry<String, List<LoadReport>> e : series.entrySet()) {
                Color color = COLORS[si++ % COLORS.length];
                for (Percentile p : PERCENTILES) {
                    g.setColor(color);
                    g.setStroke(p.stroke());
                    int[] xp = new int[e.getValue().size()];
                    int[] yp = new int[xp.length];
                    for (int i = 0; i < xp.length; i++) {
                        LoadReport r = e.getValue().get(i);
                        xp[i] = (int)
                                Math.round(px.applyAsDouble((double) r.config().streams()));
                        yp[i] = (int) Math.round(py.applyAsDouble(
                                p.value().applyAsDouble(r.latency().chunk())));
                    }
                    g.drawPolyline(xp, yp, xp.length);
                    g.setStroke(new BasicStroke(1));
                    for (int i = 0; i < xp.length; i++) {
                        g.fillOval(xp[i] - 3, yp[i] - 3, 6, 6);
                    }
                }
                g.setColor(color);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                for (String part : wrap(e.getKey(), 34)) {
                    g.drawString(part, LEFT + pw + 15, legendY);
                    legendY += 15;
                }
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                legendY += 5;
            }
            legendY += 10;
            for (Percentile p : PERCENTILES) {
                g.setColor(Color.BLACK);
                g.setStroke(p.stroke());
                g.drawLine(LEFT + pw + 15, legendY - 4, LEFT + pw + 55, legendY - 4);
                g.setStroke(new BasicStroke(1));
                g.drawString(p.name(), LEFT + pw + 62, legendY);
                legendY += 18;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static List<String> wrap(String s, int width) {
        List<String> lines = new ArrayList<>();
        String rest = s;
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) {
                cut = width;
            }
            lines.add(rest.substring(0, cut));
            rest = rest.substring(cut).trim();
        }
        lines.add(rest);
        return lines;
    }

    private static String fmt(double v) {
        if (v >= 1 && v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", Double.toString(v)).replaceAll("0+$", "");
    }
}
