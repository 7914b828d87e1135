package io.aistream.server.aisdk;

import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.Responses;
import io.aistream.server.streams.KeepAlive;
import io.aistream.sse.SseWriter;
import io.aistream.stream.TimeSource;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One UI message stream response: the AI SDK's headers ({@code content-type: text/event-stream},
 * {@code x-vercel-ai-ui-message-stream: v1}, {@code cache-control: no-cache},
 * {@code x-accel-buffering: no}) plus {@code X-Stream-Id}; then {@code data: <chunk json>} events,
 * one flush per batch (the UI chunks of one native chunk); {@code : keepalive} comments after
 * {@code keepAlive} of silence (the SDK's parser skips comments); {@code data: [DONE]} last.
 *
 * <p>Threading and failure as in the native protocol's {@code SseSession}, through {@link KeepAlive}: one lock around
 * every write, the keep-alive timer runs on the injected {@link TimeSource} and writes from a
 * virtual thread; a failed write marks the session failed and runs {@code onFailure} once.
 */
final class UiStreamSession implements AutoCloseable {
    static final String PROTOCOL_HEADER = "x-vercel-ai-ui-message-stream";

    private final SseWriter writer;
    private final KeepAlive keepAlive;

    private UiStreamSession(OutputStream out, TimeSource time, Duration keepAlive, Runnable onFailure) {
        // the events of one batch leave together, at the flush
        this.writer = new SseWriter(new BufferedOutputStream(out, 16 * 1024));
        this.keepAlive = new KeepAlive(time, keepAlive, "aistream-ui-keepalive", this::writeKeepAlive, onFailure);
    }

    /** Sets the headers and arms the keep-alive timer; the first {@link #send} commits the headers. */
    static UiStreamSession open(
            HttpResponse response, String streamId, TimeSource time, Duration keepAlive, Runnable onFailure) {
        response.status(200);
        response.setHeader("Content-Type", "text/event-stream");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader(PROTOCOL_HEADER, "v1");
        response.setHeader("X-Accel-Buffering", "no");
        response.setHeader("X-Stream-Id", streamId);
        UiStreamSession session = new UiStreamSession(response.body(), time, keepAlive, onFailure);
        session.keepAlive.start();
        return session;
    }

    /** Writes the chunks as events and flushes once; false if the client is gone. */
    boolean send(List<ObjectNode> chunks) {
        if (chunks.isEmpty()) {
            return !keepAlive.stopped();
        }
        return keepAlive.write(() -> {
            for (ObjectNode chunk : chunks) {
                writer.writeDataUtf8(Responses.JSON.writeValueAsBytes(chunk)).endEvent();
            }
            writer.flush();
        });
    }

    /** Writes {@code data: [DONE]} and flushes; false if the client is gone. */
    boolean sendDone() {
        return keepAlive.write(() -> {
            writer.writeData("[DONE]").endEvent();
            writer.flush();
        });
    }

    private void writeKeepAlive() {
        writer.writeComment(" keepalive").endEvent();
        writer.flush();
    }

    /** Stops the keep-alives and ends the response. Idempotent. */
    @Override
    public void close() {
        keepAlive.close(writer::close);
    }
}
