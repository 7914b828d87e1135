package io.aistream.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The response side of one HTTP exchange. Written by one thread at a time (a streaming session
 * serializes its writes and keep-alives with a lock of its own).
 */
public interface HttpResponse {
    /** Sets the status; before the response is committed. */
    void status(int status);

    /** Sets a header, replacing any value it had. */
    void setHeader(String name, String value);

    /**
     * Status 200 and the headers of a gateway SSE stream: {@code text/event-stream} in UTF-8, neither
     * cached nor buffered by a proxy, and {@code X-Stream-Id}. Before the response is committed; writes
     * nothing, so the caller's first event commits them.
     */
    default void eventStream(String streamId) {
        status(200);
        setHeader("Content-Type", "text/event-stream; charset=utf-8");
        setHeader("Cache-Control", "no-cache");
        setHeader("X-Accel-Buffering", "no");
        setHeader("X-Stream-Id", streamId);
    }

    /** Adds a value to a header. */
    void addHeader(String name, String value);

    /** Whether the status and headers were sent already (an error answer is then no longer possible). */
    boolean committed();

    /**
     * The body as a stream for event-by-event writing: bytes written go to the client no later than
     * the next {@link OutputStream#flush()}, which pushes them out at once (one flush per event);
     * {@link OutputStream#close()} ends the response. Writes throw when the client is gone. The same
     * stream is returned on every call.
     */
    OutputStream body();

    /**
     * The {@link #body()} as a {@link NonBlockingBody} (the same stream), when the binding can write without
     * blocking; empty (the default) when it cannot, and streams are then pulled the blocking way.
     */
    default Optional<NonBlockingBody> nonBlockingBody() {
        return Optional.empty();
    }

    /**
     * Writes {@code body} as the response's whole content and ends the response, blocking until it
     * was written. Sets no header: the caller sets {@code Content-Length} if it wants one.
     */
    void write(byte[] body) throws IOException;

    /**
     * Starts watching for the client going away while the response streams (a closed connection, a
     * reset HTTP/2 stream), even when nothing is being written. {@code onGone} runs at most once, on
     * some other thread. Close the returned handle before the response's last byte is written: a
     * client that reuses the connection sends its next request as soon as it has that byte.
     */
    ClientGone watchClient(Runnable onGone);
}
