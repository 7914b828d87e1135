package io.aistream.server.openai;

import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.streams.KeepAlive;
import io.aistream.stream.TimeSource;
import java.time.Duration;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * One streamed Responses API answer: the SSE response, its keep-alive comments and the
 * {@link ResponsesEvents} that turn chunks into events. Each chunk's events are written and flushed
 * together; {@code : keepalive} comments go out after {@code keepAlive} of silence.
 *
 * <p><b>Threading.</b> The stream's thread calls {@link #send}; the keep-alive timer writes under the same
 * lock ({@link KeepAlive}). A failed write marks the session failed and runs {@code onFailure} once.
 * {@link #close} ends the response (the last write).
 */
final class ResponsesSse implements AutoCloseable {
    private final ResponsesEvents events;
    private final KeepAlive keepAlive;

    private ResponsesSse(
            HttpResponse response,
            String streamId,
            ResponseObject head,
            TimeSource time,
            Duration keepAlive,
            Runnable onFailure,
            Consumer<ObjectNode> onFinished) {
        this.events = new ResponsesEvents(head, streamId, response.body(), onFinished);
        this.keepAlive = new KeepAlive(time, keepAlive, "aistream-responses-keepalive", events::keepAlive, onFailure);
    }

    /**
     * Sets the SSE headers (with {@code X-Stream-Id}), arms the keep-alive timer and writes
     * {@code response.created} and {@code response.in_progress}, which commits the headers.
     *
     * @param onFinished see {@link ResponsesEvents#ResponsesEvents(ResponseObject, String, java.io.OutputStream,
     *     Consumer)}
     */
    static ResponsesSse open(
            HttpResponse response,
            String streamId,
            ResponseObject head,
            TimeSource time,
            Duration keepAlive,
            Runnable onFailure,
            Consumer<ObjectNode> onFinished) {
        return open(response, streamId, head, time, keepAlive, onFailure, onFinished, -1);
    }

    /**
     * As {@link #open(HttpResponse, String, ResponseObject, TimeSource, Duration, Runnable, Consumer)}, leaving
     * out the events up to sequence number {@code skipThrough} ({@link ResponsesEvents#skipThrough}).
     */
    static ResponsesSse open(
            HttpResponse response,
            String streamId,
            ResponseObject head,
            TimeSource time,
            Duration keepAlive,
            Runnable onFailure,
            Consumer<ObjectNode> onFinished,
            long skipThrough) {
        response.eventStream(streamId);
        ResponsesSse sse = new ResponsesSse(response, streamId, head, time, keepAlive, onFailure, onFinished);
        sse.events.skipThrough(skipThrough);
        sse.keepAlive.start();
        sse.keepAlive.write(() -> {
            sse.events.start();
            sse.events.flush();
        });
        return sse;
    }

    /** Writes the events of {@code chunk} and flushes. False if the client is gone. */
    boolean send(StreamChunk chunk) {
        return keepAlive.write(() -> {
            events.on(chunk);
            events.flush();
        });
    }

    boolean failed() {
        return keepAlive.failed();
    }

    /** Stops the keep-alives and ends the response. Idempotent. */
    @Override
    public void close() {
        keepAlive.close(events::close);
    }
}
