package io.aistream.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Reads one {@link Sample} of a gateway: its {@code /metrics} and, for the OS view, {@code /proc/PID}
 * (Linux; elsewhere those figures are NaN). Thread-safe (no mutable state besides the HTTP client).
 */
final class GatewaySampler {
    private final URI metrics;
    private final long pid;
    private final HttpClient http;

    /**
     * @param target the gateway's base URL
     * @param pid    the gateway's process id
     */
    GatewaySampler(URI target, long pid) {
        this.metrics = target.resolve("/metrics");
        this.pid = pid;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Reads the gateway now. A failed {@code /metrics} request leaves its figures NaN rather than
     * throwing: a gateway that stops answering shows as a gap in the chart and fails the check.
     */
    Sample read(double seconds, String phase) throws InterruptedException {
        PromText m = PromText.parse(fetchMetrics());
        Proc p = proc(Path.of("/proc", Long.toString(pid)));
        double fds = Double.isNaN(p.fds) ? m.sum("process_files_open_files") : p.fds;
        return fromMetrics(seconds, phase, m, p.rss, p.threads, fds);
    }

    /** A sample from parsed metrics plus the OS figures read separately. */
    static Sample fromMetrics(double seconds, String phase, PromText m, double rss, double osThreads, double fds) {
        return new Sample(
                seconds,
                phase,
                m.sum("jvm_memory_used_bytes", Map.of("area", "heap")),
                rss,
                m.sum("jvm_threads_live_threads"),
                osThreads,
                fds,
                m.sum("aistream_streams_active"),
                m.sum("aistream_memory_retained_bytes", Map.of("pool", "resume")),
                m.sum("aistream_memory_retained_bytes", Map.of("pool", "read_ahead")),
                m.sum("aistream_memory_retained_bytes", Map.of("pool", "websocket")),
                m.sum("aistream_streams_refused_total"));
    }

    private String fetchMetrics() throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(metrics)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** VmRSS and Threads from {@code status}, and the entries of {@code fd}, NaN where unreadable. */
    record Proc(double rss, double threads, double fds) {}

    static Proc proc(Path dir) {
        double rss = Double.NaN;
        double threads = Double.NaN;
        try {
            for (String line : Files.readAllLines(dir.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Double.parseDouble(line.substring(6).strip().split("\\s+")[0]) * 1024;
                } else if (line.startsWith("Threads:")) {
                    threads = Double.parseDouble(line.substring(8).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: the figures stay unknown
        }
        double fds = Double.NaN;
        try (DirectoryStream<Path> d = Files.newDirectoryStream(dir.resolve("fd"))) {
            int n = 0;
            for (Path ignored : d) {
                n++;
            }
            // the directory stream's own descriptor is open in this process, not the gateway: no correction
            fds = n;
        } catch (IOException | RuntimeException e) {
            // unreadable: the caller falls back to process_files_open_files
        }
        return new Proc(rss, threads, fds);
    }
}
