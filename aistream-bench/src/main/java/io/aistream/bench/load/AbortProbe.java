package io.aistream.bench.load;

import io.aistream.bench.metrics.Histogram;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * After an {@code --abort-after} run, asks the fake upstream ({@code GET /aborts?since=…}) when it
 * saw each stream aborted and matches that against when the client aborted it (both
 * {@link System#nanoTime()}, comparable between processes on one Linux machine): the abort latency.
 *
 * <p>The upstream notices an abort only at its next write to the stream, so it may see the last
 * aborts after the run has ended: the probe asks again until every abort is seen or a grace period
 * (a second plus two chunk intervals) has passed. Runs on the caller's thread, once per run.
 */
final class AbortProbe {
    private static final long POLL_MILLIS = 100;

    private AbortProbe() {}

    /**
     * Where the upstream's abort log ends now (read before the run, so older entries are skipped), or
     * 0 when it cannot be asked.
     */
    static long mark(LoadOptions o) throws InterruptedException {
        try (HttpClient http = client()) {
            JsonNode page = fetch(http, base(o), Long.MAX_VALUE);
            return page == null ? 0 : page.path("next").asLong(0);
        }
    }

    /**
     * The abort latency of the aborts in {@code tally}, reading the upstream's log from {@code since}
     * ({@link #mark}), or null when the run aborted nothing.
     */
    static LoadReport.AbortLatency measure(LoadOptions o, Tally tally, long since) throws InterruptedException {
        long untracked = tally.abortsUntracked.sum();
        Map<Long, Long> sent = new HashMap<>(tally.abortsSent);
        if (sent.isEmpty() && untracked == 0) {
            return null;
        }
        Double interval = o.rate() > 0 ? Math.round(1e6 / o.rate()) / 1e3 : null;
        URI base = base(o);
        Histogram h = new Histogram();
        long grace = 1_000_000_000L + (o.rate() > 0 ? Math.round(2e9 / o.rate()) : 0);
        long deadline = System.nanoTime() + grace;
        long dropped = 0;
        String problem = null;
        try (HttpClient http = client()) {
            while (true) {
                JsonNode page = fetch(http, base, since);
                if (page == null) {
                    problem = "no GET /aborts at " + base + " (not the fake upstream? give its URL with --upstream)";
                    break;
                }
                dropped += page.path("dropped").asLong(0);
                JsonNode a = page.path("aborts");
                for (int i = 0; i + 1 < a.size(); i += 2) {
                    Long at = sent.remove(a.get(i).asLong());
                    if (at != null) {
                        h.record(a.get(i + 1).asLong() - at);
                    }
                }
                long next = page.path("next").asLong(since);
                boolean more = a.size() > 0 && next > since;
                since = next;
                if (more) {
                    continue; // the next page at once
                }
                if (sent.isEmpty() || System.nanoTime() >= deadline) {
                    break;
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
        if (problem == null && dropped > 0) {
            problem = dropped + " entries had left the upstream's abort log before they were read";
        }
        return new LoadReport.AbortLatency(
                LoadReport.Latency.of(h.snapshot()),
                h.snapshot().count() + sent.size() + untracked,
                sent.size(),
                untracked,
                interval,
                base.toString(),
                problem);
    }

    private static URI base(LoadOptions o) {
        return o.upstream() != null ? o.upstream() : o.target();
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static JsonNode fetch(HttpClient http, URI base, long since) throws InterruptedException {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        if (b.endsWith("/v1")) {
            b = b.substring(0, b.length() - 3);
        }
        URI uri = URI.create((b.startsWith("ws://") ? "http://" + b.substring(5) : b) + "/aborts?since=" + since);
        try {
            HttpResponse<byte[]> r = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                return null;
            }
            JsonNode page = RequestBodies.JSON.readTree(r.body());
            return page != null && page.path("aborts").isArray() ? page : null;
        } catch (IOException | JacksonException e) {
            return null;
        }
    }
}
