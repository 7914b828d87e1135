package io.aistream.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One reading of the gateway during a soak. Figures the gateway or the OS does not expose are NaN.
 * Written as one CSV line ({@link #toCsv()}, header {@link #CSV_HEADER}) and read back by
 * {@link #fromCsv(String)}.
 *
 * @param seconds           seconds since the soak started
 * @param phase             the traffic phase at that moment ({@code warm-up}, {@code baseline},
 *                          {@code traffic}, {@code flood}, {@code drain}, {@code final})
 * @param heapBytes         heap used (sum of {@code jvm_memory_used_bytes{area="heap"}})
 * @param rssBytes          resident set size ({@code /proc/PID/status} VmRSS)
 * @param liveThreads       live platform threads ({@code jvm_threads_live_threads})
 * @param osThreads         the process's OS threads ({@code /proc/PID/status} Threads)
 * @param openFds           open descriptors ({@code /proc/PID/fd}; else {@code process_files_open_files})
 * @param activeStreams     {@code aistream_streams_active}
 * @param retainedResume    {@code aistream_memory_retained_bytes{pool="resume"}}
 * @param retainedReadAhead {@code aistream_memory_retained_bytes{pool="read_ahead"}}
 * @param retainedWebSocket {@code aistream_memory_retained_bytes{pool="websocket"}}
 * @param refused           {@code aistream_streams_refused_total}, all reasons (cumulative)
 */
record Sample(
        double seconds,
        String phase,
        double heapBytes,
        double rssBytes,
        double liveThreads,
        double osThreads,
        double openFds,
        double activeStreams,
        double retainedResume,
        double retainedReadAhead,
        double retainedWebSocket,
        double refused) {

    static final String CSV_HEADER = "seconds,phase,heap_bytes,rss_bytes,live_threads,os_threads,open_fds,"
            + "active_streams,retained_resume_bytes,retained_read_ahead_bytes,retained_websocket_bytes,refused_total";

    Sample {
        if (phase == null || phase.isBlank() || phase.contains(",")) {
            throw new IllegalArgumentException("phase must be a non-blank word without commas: " + phase);
        }
    }

    /** Retained bytes of every pool together. */
    double retainedBytes() {
        return retainedResume + retainedReadAhead + retainedWebSocket;
    }

    /** The same reading under another phase name. */
    Sample withPhase(String p) {
        return new Sample(
                seconds,
                p,
                heapBytes,
                rssBytes,
                liveThreads,
                osThreads,
                openFds,
                activeStreams,
                retainedResume,
                retainedReadAhead,
                retainedWebSocket,
                refused);
    }

    /**
     * The same reading with {@code n} threads taken off both thread figures: the idle Jetty pool
     * workers the check leaves out (NaN or 0 leaves the figures as they are).
     */
    Sample withoutThreads(double n) {
        if (Double.isNaN(n) || n == 0) {
            return this;
        }
        return new Sample(
                seconds,
                phase,
                heapBytes,
                rssBytes,
                liveThreads - n,
                osThreads - n,
                openFds,
                activeStreams,
                retainedResume,
                retainedReadAhead,
                retainedWebSocket,
                refused);
    }

    /** The CSV line (no newline); NaN is written as an empty field. */
    String toCsv() {
        List<String> f = new ArrayList<>();
        f.add(String.format(Locale.ROOT, "%.1f", seconds));
        f.add(phase);
        for (double v : new double[] {
            heapBytes,
            rssBytes,
            liveThreads,
            osThreads,
            openFds,
            activeStreams,
            retainedResume,
            retainedReadAhead,
            retainedWebSocket,
            refused
        }) {
            f.add(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.0f", v));
        }
        return String.join(",", f);
    }

    /** Parses a line written by {@link #toCsv()}; names the field at fault otherwise. */
    static Sample fromCsv(String line) {
        String[] f = line.split(",", -1);
        String[] names = CSV_HEADER.split(",");
        if (f.length != names.length) {
            throw new IllegalArgumentException(
                    "expected " + names.length + " CSV fields, got " + f.length + ": " + line);
        }
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            if (i == 1) {
                continue;
            }
            try {
                v[i] = f[i].isEmpty() ? Double.NaN : Double.parseDouble(f[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(names[i] + " is not a number: '" + f[i] + "'", e);
            }
        }
        return new Sample(v[0], f[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
    }
}
