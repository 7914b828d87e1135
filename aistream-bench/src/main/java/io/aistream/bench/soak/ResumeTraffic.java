package io.aistream.bench.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's traffic that the load generator does not make, against the gateway's native endpoint
 * and the built-in {@code simulated} provider: resumable streams that are dropped after a few
 * chunks and then resumed to the end, resumable streams dropped and never resumed (they stay in the
 * resume store until its TTL), and floods (bursts of unpaced resumable streams hung up right after
 * the response headers, issue 11's attack). Each call blocks its caller; the counters are
 * thread-safe. {@link #close()} closes the HTTP client and with it every pooled connection, so the
 * gateway's descriptors can come back.
 */
final class ResumeTraffic implements AutoCloseable {
    /** Outcome counters, summed over every call. */
    final AtomicLong resumedComplete = new AtomicLong();

    final AtomicLong abandoned = new AtomicLong();
    final AtomicLong floodAccepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    private final URI target;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    ResumeTraffic(URI target) {
        this.target = target;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The native request body of a simulated resumable stream. */
    static String body(int length, int tokensPerSecond) {
        return String.format(
                Locale.ROOT,
                "{\"provider\":\"simulated\",\"model\":\"lorem\",\"resumable\":true,"
                        + "\"providerOptions\":{\"length\":%d,\"tokensPerSecond\":%d},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"soak\"}]}",
                length,
                tokensPerSecond);
    }

    /**
     * Until {@code deadlineNanos}: start a paced resumable stream, read {@code dropAfter} chunks,
     * hang up, and then either resume it to its end ({@code resume}) or leave it.
     */
    void resumableLoop(boolean resume, int length, int rate, int dropAfter, long deadlineNanos)
            throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            try {
                HttpResponse<InputStream> r =
                        http.send(post(body(length, rate)), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    count(r);
                    pause();
                    continue;
                }
                String id = r.headers().firstValue("X-Stream-Id").orElse(null);
                long last;
                try (InputStream in = r.body()) {
                    last = readEvents(in, dropAfter);
                }
                if (id == null || last == Long.MIN_VALUE) {
                    errors.incrementAndGet();
                    continue;
                }
                if (!resume) {
                    abandoned.incrementAndGet();
                    continue;
                }
                HttpRequest get = HttpRequest.newBuilder(target.resolve("/v1/streams/" + id))
                        .header("Last-Event-ID", Long.toString(last))
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build();
                HttpResponse<InputStream> again = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = again.body()) {
                    if (again.statusCode() == 200 && readEvents(in, Integer.MAX_VALUE) == DONE) {
                        resumedComplete.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                errors.incrementAndGet();
                pause();
            }
        }
    }

    /**
     * One flood: {@code streams} unpaced resumable streams of {@code length} chunks, {@code
     * concurrency} at a time, each hung up as soon as its headers arrive. Returns when all were sent.
     */
    void flood(int streams, int concurrency, int length) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        List<Thread> threads = new ArrayList<>();
        String body = body(length, 0);
        for (int i = 0; i < streams; i++) {
            slots.acquire();
            threads.add(Thread.ofVirtual().name("soak-flood-", i).start(() -> {
                try {
                    HttpResponse<InputStream> r = http.send(post(body), HttpResponse.BodyHandlers.ofInputStream());
                    // closing the body unread drops the connection: the client hangs up after the headers
                    r.body().close();
                    if (r.statusCode() == 200) {
                        floodAccepted.incrementAndGet();
                    } else {
                        count(r);
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** One line of counts for the summary. */
    String summary() {
        return String.format(
                Locale.ROOT,
                "resumable: %d resumed to the end, %d abandoned; flood: %d accepted; refused (503/429): %d; errors: %d",
                resumedComplete.get(),
                abandoned.get(),
                floodAccepted.get(),
                refused.get(),
                errors.get());
    }

    private HttpRequest post(String body) {
        return HttpRequest.newBuilder(target.resolve("/v1/stream"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private void count(HttpResponse<InputStream> r) throws IOException {
        try (InputStream in = r.body()) {
            in.readAllBytes();
        }
        if (r.statusCode() == 503 || r.statusCode() == 429) {
            refused.incrementAndGet();
        } else {
            errors.incrementAndGet();
        }
    }

    /** A short back-off after a refusal, so a full gateway is not hammered by this driver's loop. */
    private static void pause() throws InterruptedException {
        Thread.sleep(200);
    }

    /** What {@link #readEvents} returns when the stream ended with {@code [DONE]}. */
    static final long DONE = Long.MAX_VALUE;

    /**
     * Reads SSE lines until {@code max} events with an id were read (returns the last id), until
     * {@code data: [DONE]} ({@link #DONE}), or to the end of the body (the last id, or
     * {@code Long.MIN_VALUE} if none).
     */
    static long readEvents(InputStream in, int max) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        long last = Long.MIN_VALUE;
        int seen = 0;
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("id:")) {
                last = Long.parseLong(line.substring(3).strip());
                if (++seen >= max) {
                    return last;
                }
            } else if (line.equals("data: [DONE]")) {
                return DONE;
            }
        }
        return last;
    }

    @Override
    public void close() {
        http.close();
        executor.close();
    }
}
