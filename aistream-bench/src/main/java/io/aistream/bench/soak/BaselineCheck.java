package io.aistream.bench.soak;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether the gateway's figures came back to their baseline after a soak: each checked figure's
 * final value may exceed the baseline by at most {@code max(relative × baseline, absolute)}; stream
 * and retained-bytes figures must be exactly 0. Only growth fails: ending below the baseline is
 * fine. Figures without a tolerance (refused streams: a cumulative counter) are reported, not
 * checked. Immutable.
 */
final class BaselineCheck {
    /** How far above the baseline a figure may end: the larger of the two. */
    record Tolerance(double relative, double absolute) {
        /** The highest passing value for {@code baseline}. */
        double limit(double baseline) {
            return baseline + Math.max(relative * baseline, absolute);
        }
    }

    /**
     * One figure's outcome.
     *
     * @param limit the highest passing end value; NaN when the figure is not checked
     * @param pass  true when not checked, or when the end value is known and at most {@code limit}
     */
    record Result(Figure figure, double baseline, double end, double peak, double limit, boolean pass) {
        boolean checked() {
            return !Double.isNaN(limit);
        }

        /** {@code PASS heap used: baseline 40.1 MiB, end 41.0, peak 300.2, limit 56.1}. */
        String line() {
            String verdict = checked() ? (pass ? "PASS" : "FAIL") : "INFO";
            return String.format(
                    Locale.ROOT,
                    "%s %-24s baseline %s, end %s, peak %s%s",
                    verdict,
                    figure.label + ":",
                    fmt(baseline / figure.divisor, figure.unit),
                    fmt(end / figure.divisor, ""),
                    fmt(peak / figure.divisor, ""),
                    checked() ? ", limit " + fmt(limit / figure.divisor, "") : " (not checked)");
        }

        private static String fmt(double v, String unit) {
            if (Double.isNaN(v)) {
                return "n/a";
            }
            String n = v == Math.rint(v) && Math.abs(v) < 1e12
                    ? String.format(Locale.ROOT, "%.0f", v)
                    : String.format(Locale.ROOT, "%.1f", v);
            return unit.isEmpty() ? n : n + " " + unit;
        }
    }

    private final Map<Figure, Tolerance> tolerances;

    BaselineCheck(Map<Figure, Tolerance> tolerances) {
        this.tolerances = tolerances.isEmpty() ? Map.of() : new EnumMap<>(tolerances);
    }

    /**
     * The soak's tolerances. Heap after a full GC: 20 % or 16 MiB (class metadata, JIT and
     * interned data the traffic warmed up stay; leaked per-stream state over ten minutes is far
     * more). RSS: 50 % or 96 MiB, since G1 keeps heap it committed during the floods resident
     * unless it decides to uncommit it; this catches native leaks (direct buffers, threads' stacks),
     * not heap growth. Threads: +4 (Jetty's pool and the virtual-thread scheduler retire idle
     * threads one idle timeout at a time). Fds: +4 (pooled idle upstream connections). Streams and
     * retained bytes: exactly 0.
     */
    static BaselineCheck soakDefaults() {
        Map<Figure, Tolerance> t = new EnumMap<>(Figure.class);
        t.put(Figure.HEAP, new Tolerance(0.20, 16 << 20));
        t.put(Figure.RSS, new Tolerance(0.50, 96 << 20));
        t.put(Figure.LIVE_THREADS, new Tolerance(0, 4));
        t.put(Figure.OS_THREADS, new Tolerance(0, 4));
        t.put(Figure.OPEN_FDS, new Tolerance(0, 4));
        t.put(Figure.ACTIVE_STREAMS, new Tolerance(0, 0));
        t.put(Figure.RETAINED_RESUME, new Tolerance(0, 0));
        t.put(Figure.RETAINED_READ_AHEAD, new Tolerance(0, 0));
        t.put(Figure.RETAINED_WEBSOCKET, new Tolerance(0, 0));
        return new BaselineCheck(t);
    }

    /** The tolerance of {@code f}, or null when it is not checked. */
    Tolerance tolerance(Figure f) {
        return tolerances.get(f);
    }

    /**
     * The outcome per figure, in {@link Figure} order. Streams and retained bytes are held to 0
     * whatever the baseline (a baseline stream still open would be a leak too). An unknown end
     * value fails a checked figure: a soak that cannot see a figure cannot say it came back.
     */
    List<Result> evaluate(Sample baseline, Sample end, List<Sample> all) {
        List<Result> out = new ArrayList<>();
        for (Figure f : Figure.values()) {
            double b = f.of(baseline);
            double e = f.of(end);
            double peak = Double.NaN;
            for (Sample s : all) {
                double v = f.of(s);
                if (!Double.isNaN(v) && (Double.isNaN(peak) || v > peak)) {
                    peak = v;
                }
            }
            Tolerance t = tolerances.get(f);
            if (t == null) {
                out.add(new Result(f, b, e, peak, Double.NaN, true));
                continue;
            }
            double limit = mustBeZero(f) ? 0 : t.limit(b);
            boolean pass = !Double.isNaN(e) && !Double.isNaN(limit) && e <= limit;
            out.add(new Result(f, b, e, peak, limit, pass));
        }
        return out;
    }

    /**
     * Whether {@code s} already meets every checked limit except heap and RSS (memory is only
     * comparable after a full GC): what the drain waits for before it forces one.
     */
    boolean settled(Sample baseline, Sample s) {
        for (Result r : evaluate(baseline, s, List.of(s))) {
            if (r.figure() != Figure.HEAP && r.figure() != Figure.RSS && r.checked() && !r.pass()) {
                return false;
            }
        }
        return true;
    }

    private static boolean mustBeZero(Figure f) {
        return f == Figure.ACTIVE_STREAMS
                || f == Figure.RETAINED_RESUME
                || f == Figure.RETAINED_READ_AHEAD
                || f == Figure.RETAINED_WEBSOCKET;
    }

    /** Whether every checked figure passed. */
    static boolean allPass(List<Result> results) {
        return results.stream().allMatch(Result::pass);
    }
}
