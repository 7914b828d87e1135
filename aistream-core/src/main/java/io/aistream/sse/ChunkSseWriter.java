package io.aistream.sse;

import io.aistream.chunk.ChunkJsonWriter;
import io.aistream.chunk.StreamChunk;
import java.io.Flushable;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes a stream of chunks in aistream's native SSE protocol: {@code retry:} once at the start,
 * then per chunk {@code id: <seq>} and {@code data: <chunk json>}, {@code : keepalive} comments
 * while idle, and {@code data: [DONE]} last.
 *
 * <pre>{@code
 * try (ChunkSseWriter sse = new ChunkSseWriter(response.getOutputStream())) {
 *     sse.writeRetry(3000);
 *     for (StreamChunk chunk : stream) {
 *         sse.writeChunk(chunk);
 *         sse.flush();               // one flush per event
 *     }
 *     sse.writeDone();
 *     sse.flush();
 * }
 * }</pre>
 *
 * <p>Works over any {@link OutputStream} (a Servlet or Spring response, a socket) or a
 * {@link ByteBuffer}. The chunk's JSON is encoded into a reused buffer and copied straight into
 * the SSE frame: no intermediate strings.
 *
 * <p><b>Threading.</b> Not thread-safe: one writing thread at a time (a keep-alive timer must hand
 * its comment to that thread or synchronize externally).
 *
 * <p><b>Ownership.</b> Like {@link SseWriter}: a writer over an OutputStream owns it and
 * {@link #close()} closes it; flush and drop the writer to keep the stream open.
 */
public final class ChunkSseWriter implements Flushable, AutoCloseable {
    /** The comment text written by {@link #writeKeepAlive()}. */
    public static final String KEEPALIVE_COMMENT = " keepalive";
    /** The data of the last event of a native stream. */
    public static final String DONE_SENTINEL = "[DONE]";

    private final SseWriter sse;
    private final ChunkJsonWriter json = new ChunkJsonWriter();

    /** A writer into {@code out}, which it owns. */
    public ChunkSseWriter(OutputStream out) {
        this(new SseWriter(out));
    }

    private ChunkSseWriter(SseWriter sse) {
        this.sse = sse;
    }

    /** A writer into {@code target}; see {@link SseWriter#to(ByteBuffer)} for overflow behaviour. */
    public static ChunkSseWriter to(ByteBuffer target) {
        return new ChunkSseWriter(SseWriter.to(target));
    }

    /** Writes the {@code retry:} hint as a block of its own (no event is dispatched by it). */
    public ChunkSseWriter writeRetry(long millis) {
        sse.writeRetry(millis).endEvent();
        return this;
    }

    /** Writes one chunk as an event: {@code id: <seq>}, {@code data: <json>}. */
    public ChunkSseWriter writeChunk(StreamChunk chunk) {
        int length = json.encode(chunk);
        sse.writeId(chunk.seq()).writeDataUtf8(json.buffer(), 0, length).endEvent();
        return this;
    }

    /** Writes a {@code : keepalive} comment (ignored by every SSE client, keeps proxies from timing out). */
    public ChunkSseWriter writeKeepAlive() {
        sse.writeComment(KEEPALIVE_COMMENT).endEvent();
        return this;
    }

    /** Writes the final {@code data: [DONE]} event. */
    public ChunkSseWriter writeDone() {
        sse.writeData(DONE_SENTINEL).endEvent();
        return this;
    }

    /** Hands the pending bytes on and flushes the target. */
    @Override
    public void flush() {
        sse.flush();
    }

    /** Flushes and closes the target stream. Idempotent. */
    @Override
    public void close() {
        sse.close();
    }
}
