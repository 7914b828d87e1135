package io.aistream.bench.load;

import io.aistream.bench.metrics.Histogram;
import io.aistream.json.Jackson;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The result of a load run. {@link #toJson()} is the machine form (the chart reads it),
 * {@link #toTable()} the human one. Times are in milliseconds with microsecond resolution.
 *
 * @param elapsedSeconds from the first stream's start to the last stream's end
 * @param failures       counts by reason (http_429, no_terminal, read_timeout, io, connect, error_event, …)
 * @param failureSamples the first few failures with detail
 * @param target         the target process's usage (null without {@code --pid})
 * @param self           the load generator's own usage
 * @param abortLatency   with {@code --abort-after}: from the client's abort to the upstream seeing it;
 *                       null otherwise (and in reports written before it existed)
 * @param upstream       with {@code --upstream-pid}: the fake upstream's resource use over the same
 *                       window (its CPU per 10k chunks and the load generator's are the floor a relay
 *                       is compared with); null otherwise
 */
public record LoadReport(
        String label,
        String startedAt,
        Config config,
        Machine machine,
        double elapsedSeconds,
        Streams streams,
        Chunks chunks,
        Latencies latency,
        Map<String, Long> failures,
        List<String> failureSamples,
        ProcessUsage target,
        ProcessUsage self,
        AbortLatency abortLatency,
        ProcessUsage upstream) {

    private static final JsonMapper JSON =
            Jackson.mapperBuilder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * The options of the run, as given.
     *
     * @param wsStreamsPerSocket streams sharing one WebSocket (ws; 1: a socket per stream slot); null
     *                           in reports written before the option existed
     */
    public record Config(
            String target,
            String protocol,
            int streams,
            double rate,
            int tokens,
            Double durationSeconds,
            int chunkSize,
            long ttftMs,
            boolean slowReader,
            long readPauseMs,
            String backpressure,
            String fault,
            int faultEvery,
            String model,
            String provider,
            double rampSeconds,
            double warmupSeconds,
            int abortAfter,
            Integer wsStreamsPerSocket) {}

    /** The machine a run was measured on: cores, operating system and Java runtime. */
    public record Machine(int cores, String os, String java) {
        static Machine current() {
            return new Machine(
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    Runtime.version().toString());
        }
    }

    /**
     * Stream outcomes; each started stream is exactly one of completed, aborted, errors, truncated.
     *
     * @param aborted     aborted by the client on purpose ({@code --abort-after})
     * @param errors      refused (non-200 status, connect failure) or reported an error event
     * @param truncated   started but ended without its terminal ({@code [DONE]} / {@code done})
     * @param maxOpen     most streams open at once
     * @param connections connections (or WebSockets) opened
     */
    public record Streams(
            long started, long completed, long aborted, long errors, long truncated, int maxOpen, long connections) {}

    /**
     * Content chunks.
     *
     * @param expected         started streams × tokens (with --abort-after, × that count): what a
     *                         fault-free run delivers (an aborting client may count a few more: the
     *                         rest of the read that carried the last wanted chunk)
     * @param missing          gaps in the chunks' sequence numbers (chunks a relay dropped)
     * @param perSecond        received / elapsed
     * @param offeredPerSecond streams × rate (0 when unpaced)
     */
    public record Chunks(
            long received,
            long expected,
            long missing,
            long outOfOrder,
            double perSecond,
            double offeredPerSecond,
            long bytes) {}

    /** A latency distribution in milliseconds; {@code negatives} counts readings below 0 (clock trouble). */
    public record Latency(
            long count, double p50, double p90, double p99, double p999, double max, double mean, long negatives) {
        static Latency of(Histogram.Snapshot s) {
            return new Latency(
                    s.count(),
                    ms(s.percentile(50)),
                    ms(s.percentile(90)),
                    ms(s.percentile(99)),
                    ms(s.percentile(99.9)),
                    ms(s.max()),
                    Math.round(s.mean() / 1e3) / 1e3,
                    s.negatives());
        }

        private static double ms(long nanos) {
            return Math.round(nanos / 1e3) / 1e3;
        }
    }

    /**
     * @param chunk     per content chunk: receive time minus the upstream's send stamp
     * @param ttfcAdded the same for each stream's first content chunk
     * @param ttfc      each stream's first content chunk against the request's send time (includes
     *                  the upstream's own ttft)
     */
    public record Latencies(Latency chunk, Latency ttfcAdded, Latency ttfc) {}

    /**
     * A process's resource use during the run. CPU figures cover the measured window: the whole run,
     * or with a warm-up the time after it (and the chunks received then).
     *
     * @param cpuSeconds             user + system CPU seconds during the measured window
     * @param cpuPercent             of one core, averaged over the measured window
     * @param chunksPerCpuSecond     content chunks received per CPU second of this process
     * @param cpuSecondsPer10kChunks the inverse, per 10,000 chunks
     * @param rssBeforeMb            resident memory when the run started
     * @param rssMaxMb               the largest resident memory sampled during the run
     * @param peakRssMb              VmHWM at the end (peak since the process started)
     * @param memoryPerStreamKb      (rssMax − rssBefore) / most streams open at once
     */
    public record ProcessUsage(
            long pid,
            double cpuSeconds,
            double cpuPercent,
            Double chunksPerCpuSecond,
            Double cpuSecondsPer10kChunks,
            Double rssBeforeMb,
            Double rssMaxMb,
            Double peakRssMb,
            Double memoryPerStreamKb) {}

    /**
     * From the client aborting a stream (the {@code nanoTime} just before it closed the connection or
     * sent the ws {@code abort}) to the fake upstream seeing it aborted (the {@code nanoTime} of its
     * failed write, or of the ws {@code abort} arriving). An HTTP upstream notices at its next write,
     * so this includes up to one chunk interval (two when the first write after the close still
     * succeeds and only draws the peer's reset); compare with {@code chunkIntervalMs}.
     *
     * @param latency         one sample per abort the upstream saw
     * @param aborts          streams the client aborted
     * @param unseen          tracked aborts the upstream never reported (within the probe's grace period)
     * @param untracked       aborts the client did not track (no tag, or past its limit)
     * @param chunkIntervalMs the upstream's chunk interval (1/rate), null when unpaced
     * @param upstream        the URL asked ({@code GET /aborts})
     * @param problem         why the figures are incomplete, or null
     */
    public record AbortLatency(
            Latency latency,
            long aborts,
            long unseen,
            long untracked,
            Double chunkIntervalMs,
            String upstream,
            String problem) {}

    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    public static LoadReport fromJson(String json) {
        return JSON.readValue(json, LoadReport.class);
    }

    /** A human-readable summary. */
    public String toTable() {
        StringBuilder b = new StringBuilder();
        line(b, "run", label + "  (" + config.protocol() + " → " + config.target() + ")");
        line(
                b,
                "load",
                config.streams() + " streams × " + LoadOptions.formatRate(config.rate()) + " chunks/s × "
                        + config.tokens() + " chunks"
                        + (config.durationSeconds() == null ? "" : ", for " + fmt(config.durationSeconds()) + " s")
                        + (config.wsStreamsPerSocket() != null && config.wsStreamsPerSocket() > 1
                                ? ", " + config.wsStreamsPerSocket() + " streams per WebSocket"
                                : "")
                        + (config.slowReader() ? ", slow readers (" + config.readPauseMs() + " ms pauses)" : "")
                        + (config.backpressure() == null ? "" : ", backpressure " + config.backpressure())
                        + (config.fault().equals("none")
                                ? ""
                                : ", fault " + config.fault() + " every " + config.faultEvery()));
        line(b, "machine", machine.cores() + " cores, " + machine.os() + ", Java " + machine.java());
        line(b, "elapsed", fmt(elapsedSeconds) + " s");
        line(
                b,
                "streams",
                streams.started() + " started, " + streams.completed() + " completed, "
                        + (streams.aborted() > 0 ? streams.aborted() + " aborted, " : "") + streams.errors()
                        + " errors, " + streams.truncated() + " truncated; at most " + streams.maxOpen() + " open; "
                        + streams.connections() + " connections");
        line(
                b,
                "chunks",
                chunks.received() + " received of " + chunks.expected() + " expected ("
                        + chunks.missing() + " missing, " + chunks.outOfOrder() + " out of order); "
                        + String.format(Locale.ROOT, "%.0f/s delivered", chunks.perSecond())
                        + (chunks.offeredPerSecond() > 0
                                ? String.format(Locale.ROOT, " of %.0f/s offered", chunks.offeredPerSecond())
                                : ""));
        b.append(String.format(
                Locale.ROOT,
                "%n%-22s %9s %9s %9s %9s %9s %9s %10s%n",
                "latency (ms)",
                "p50",
                "p90",
                "p99",
                "p99.9",
                "max",
                "mean",
                "count"));
        row(b, "added per chunk", latency.chunk());
        row(b, "added to 1st chunk", latency.ttfcAdded());
        row(b, "time to 1st chunk", latency.ttfc());
        if (abortLatency != null) {
            row(b, "abort → upstream saw", abortLatency.latency());
        }
        if (latency.chunk().negatives() > 0) {
            b.append("  ! ")
                    .append(latency.chunk().negatives())
                    .append(" negative latencies: the clocks of this machine's processes are not comparable\n");
        }
        b.append('\n');
        if (abortLatency != null) {
            AbortLatency a = abortLatency;
            line(
                    b,
                    "abort latency",
                    String.format(
                            Locale.ROOT,
                            "p50 %.3f / p90 %.3f / p99 %.3f / max %.3f ms; %d of %d aborts seen by the upstream, %d never%s;"
                                    + " the upstream notices at its next write, so this includes up to %s",
                            a.latency().p50(),
                            a.latency().p90(),
                            a.latency().p99(),
                            a.latency().max(),
                            a.latency().count(),
                            a.aborts(),
                            a.unseen(),
                            a.untracked() > 0 ? ", " + a.untracked() + " not tracked" : "",
                            a.chunkIntervalMs() == null
                                    ? "a write (unpaced)"
                                    : "one or two chunk intervals of " + fmt(a.chunkIntervalMs()) + " ms"));
            if (a.problem() != null) {
                line(b, "", "! " + a.problem());
            }
        }
        if (!failures.isEmpty()) {
            line(b, "failures", failures.toString());
            for (String s : failureSamples) {
                line(b, "", s.length() > 200 ? s.substring(0, 200) + "…" : s);
            }
        }
        if (target != null) {
            usage(b, "target pid " + target.pid(), target);
        }
        usage(b, "load generator", self);
        if (upstream != null) {
            usage(b, "upstream pid " + upstream.pid(), upstream);
        }
        return b.toString();
    }

    private static void usage(StringBuilder b, String name, ProcessUsage u) {
        StringBuilder s = new StringBuilder();
        s.append(fmt(u.cpuSeconds()))
                .append(" CPU-s (")
                .append(String.format(Locale.ROOT, "%.0f", u.cpuPercent()))
                .append(" % of a core)");
        if (u.cpuSecondsPer10kChunks() != null) {
            s.append(String.format(
                    Locale.ROOT,
                    ", %.0f chunks/CPU-s, %.3f CPU-s per 10k chunks",
                    u.chunksPerCpuSecond(),
                    u.cpuSecondsPer10kChunks()));
        }
        if (u.rssMaxMb() != null) {
            s.append(String.format(Locale.ROOT, "; RSS %.0f → max %.0f MB", u.rssBeforeMb(), u.rssMaxMb()));
        }
        if (u.peakRssMb() != null) {
            s.append(String.format(Locale.ROOT, ", peak %.0f MB", u.peakRssMb()));
        }
        if (u.memoryPerStreamKb() != null) {
            s.append(String.format(Locale.ROOT, ", %.1f KB per open stream", u.memoryPerStreamKb()));
        }
        line(b, name, s.toString());
    }

    private static void row(StringBuilder b, String name, Latency l) {
        b.append(String.format(
                Locale.ROOT,
                "%-22s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %10d%n",
                name,
                l.p50(),
                l.p90(),
                l.p99(),
                l.p999(),
                l.max(),
                l.mean(),
                l.count()));
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "%-15s %s%n", name, value));
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
