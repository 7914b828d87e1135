package io.aistream.hostile;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One streaming response of the native API ({@code POST /v1/stream}, {@code GET /v1/streams/{id}}), read chunk by
 * chunk as it arrives, each chunk with the {@link System#nanoTime()} it was read at. Not thread-safe: one test
 * thread reads it. {@link #close()} hangs up.
 */
final class ChunkFeed implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A chunk and when it was read. */
    record Arrival(StreamChunk chunk, long nanos) {}

    private final HttpResponse<InputStream> response;
    private final SseReader reader;
    private final List<Arrival> arrivals = new ArrayList<>();
    private boolean ended;
    private boolean doneMarker;

    private ChunkFeed(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new SseReader(response.body());
    }

    /** Posts a native stream request to {@code baseUrl}; returns once the response head arrived. */
    static ChunkFeed post(String baseUrl, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Resumes stream {@code id} at {@code baseUrl} after {@code lastSeq} (none: -1, from the start). */
    static ChunkFeed resume(String baseUrl, String id, long lastSeq) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/streams/" + id));
        if (lastSeq >= 0) {
            b.header("Last-Event-ID", Long.toString(lastSeq));
        }
        return send(b.GET());
    }

    /** Any request, its whole answer as text (for DELETE and error answers). */
    static HttpResponse<String> exchange(String baseUrl, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ChunkFeed send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return new ChunkFeed(CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return response.statusCode();
    }

    Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    /** The stream id the gateway named ({@code X-Stream-Id}). */
    String streamId() {
        return header("X-Stream-Id").orElseThrow(() -> new AssertionError("no X-Stream-Id; status " + status()));
    }

    /** The body of a refusal (not a stream): at most 64 KiB. */
    String errorBody() throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
    }

    /** The next chunk, or empty at {@code [DONE]} or the end of the response. */
    Optional<StreamChunk> next() {
        if (ended) {
            return Optional.empty();
        }
        for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
            if (e.get().data().isEmpty()) {
                continue;
            }
            if (e.get().data().equals("[DONE]")) {
                doneMarker = true;
                break;
            }
            StreamChunk c = ChunkJson.parse(e.get().data());
            arrivals.add(new Arrival(c, System.nanoTime()));
            return Optional.of(c);
        }
        ended = true;
        return Optional.empty();
    }

    /** Whether the response ended with {@code data: [DONE]} (not merely ended). */
    boolean sawDoneMarker() {
        return doneMarker;
    }

    /** Reads until a chunk with seq at least {@code seq} arrived; fails if the response ends first. */
    StreamChunk readThrough(long seq) {
        for (Optional<StreamChunk> c = next(); c.isPresent(); c = next()) {
            if (c.get().seq() >= seq) {
                return c.get();
            }
        }
        throw new AssertionError("the stream ended before seq " + seq + "; read " + chunks());
    }

    /** Reads to the end of the response; returns every chunk read by this feed. */
    List<StreamChunk> readToEnd() {
        while (next().isPresent()) {
            // reading
        }
        return chunks();
    }

    /** Every chunk read so far, in order. */
    List<StreamChunk> chunks() {
        return arrivals.stream().map(Arrival::chunk).toList();
    }

    List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** The seq of the last chunk read, -1 before any. */
    long lastSeq() {
        return arrivals.isEmpty() ? -1 : arrivals.getLast().chunk().seq();
    }

    /** The answer text of {@code chunks} (their content deltas, in order). */
    static String text(List<StreamChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        for (StreamChunk c : chunks) {
            if (c instanceof ContentChunk content) {
                sb.append(content.delta());
            }
        }
        return sb.toString();
    }

    /** The {@code done} chunks among {@code chunks}. */
    static List<DoneChunk> dones(List<StreamChunk> chunks) {
        return chunks.stream()
                .filter(DoneChunk.class::isInstance)
                .map(DoneChunk.class::cast)
                .toList();
    }

    /** Fails unless the chunks' seqs run from {@code from} without a gap or a repeat. */
    static void assertGapFree(List<StreamChunk> chunks, long from, String what) {
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).seq() != from + i) {
                throw new AssertionError(what + ": seq " + chunks.get(i).seq() + " at position " + i + ", expected "
                        + (from + i) + "; seqs "
                        + chunks.stream().map(StreamChunk::seq).toList());
            }
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // hung up anyway
        }
    }
}
