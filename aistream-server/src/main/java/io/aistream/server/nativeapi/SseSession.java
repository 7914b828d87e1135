package io.aistream.server.nativeapi;

import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.streams.KeepAlive;
import io.aistream.sse.ChunkSseWriter;
import io.aistream.stream.TimeSource;
import java.io.OutputStream;
import java.time.Duration;

/**
 * One native SSE response: the headers, {@code retry:} once, one event per chunk with one flush each,
 * {@code : keepalive} after {@code keepAlive} of silence, {@code data: [DONE]} last.
 *
 * <p><b>Threading.</b> The stream's thread calls {@link #send} and {@link #sendDone}; the keep-alive
 * timer (on the injected {@link TimeSource}) hands its comment to a virtual thread that takes the
 * same lock, so at most one write is in flight. A keep-alive waits for a chunk write in
 * progress (it checks idleness again once it has the lock). The lock, idle clock and timer are
 * {@link KeepAlive}'s.
 *
 * <p><b>Failure.</b> A failed write (the client went away) marks the session failed and runs
 * {@code onFailure} once; later sends return false at once.
 */
final class SseSession implements AutoCloseable {
    private final ChunkSseWriter writer;
    private final KeepAlive keepAlive;

    private SseSession(OutputStream out, TimeSource time, Duration keepAlive, Runnable onFailure) {
        this.writer = new ChunkSseWriter(out);
        this.keepAlive = new KeepAlive(time, keepAlive, "aistream-keepalive", this::writeKeepAlive, onFailure);
    }

    /**
     * Sets the SSE headers, arms the keep-alive timer and writes {@code retry:} (which commits the
     * headers, so the client sees {@code X-Stream-Id} at once).
     */
    static SseSession open(
            HttpResponse response,
            String streamId,
            long retryMillis,
            TimeSource time,
            Duration keepAlive,
            Runnable onFailure) {
        response.eventStream(streamId);
        SseSession session = new SseSession(response.body(), time, keepAlive, onFailure);
        // armed before the first byte leaves, so whoever sees the first byte knows the timer runs
        session.keepAlive.start();
        session.keepAlive.writeOpening(() -> {
            session.writer.writeRetry(retryMillis);
            session.writer.flush();
        });
        return session;
    }

    /** Writes one chunk as an event and flushes it; false if the client is gone. */
    boolean send(StreamChunk chunk) {
        return keepAlive.write(() -> {
            writer.writeChunk(chunk);
            writer.flush();
        });
    }

    /** Writes {@code data: [DONE]} and flushes; false if the client is gone. */
    boolean sendDone() {
        return keepAlive.write(() -> {
            writer.writeDone();
            writer.flush();
        });
    }

    boolean failed() {
        return keepAlive.failed();
    }

    private void writeKeepAlive() {
        writer.writeKeepAlive();
        writer.flush();
    }

    /** Stops the keep-alives and ends the response (the last write). Idempotent. */
    @Override
    public void close() {
        keepAlive.close(writer::close);
    }
}
