package io.aistream.provider.support;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.sse.SseDecoder;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseLimits;
import io.aistream.sse.SseListener;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The SSE plumbing of a {@link StreamDecoder} whose body is {@code text/event-stream}: an
 * {@link SseDecoder} enforcing the limits, {@code feed}/{@code end} that do nothing once
 * {@link #isDone()}, and the consumer of the call in progress, which {@link #onEvent} and
 * {@link #endOfBody()} reach through {@link #sink()}.
 *
 * <p>A subclass decodes the events ({@link #onEvent}), reports whether {@code done} went out
 * ({@link #isDone()}), ends the stream on a malformed event ({@link #malformed(String)}) and says
 * what a body that ends before the terminal event means ({@link #endOfBody()}). Not thread-safe,
 * like every decoder.
 *
 * <p>A subclass that parses event data from bytes (with {@link JsonCursor#reset(byte[], int, int)})
 * also implements {@link io.aistream.sse.SseDataListener}: its well-formed events then arrive as the
 * SSE buffer's bytes, without a String per event, and only the rest through {@link #onEvent}.
 */
public abstract class SseStreamDecoder implements StreamDecoder, SseListener {
    private final SseDecoder sse;
    private Consumer<? super StreamChunk> sink;

    /** A decoder enforcing {@code limits} on SSE lines and events. */
    // the SSE decoder only keeps the reference: it calls back from feed/end, after construction
    @SuppressWarnings("this-escape")
    protected SseStreamDecoder(SseLimits limits) {
        this.sse = new SseDecoder(this, limits);
    }

    @Override
    public final void feed(byte[] bytes, int off, int len, Consumer<? super StreamChunk> out) {
        if (isDone()) {
            return;
        }
        sink = out;
        try {
            sse.feed(bytes, off, len);
        } finally {
            sink = null;
        }
    }

    /**
     * Ends the SSE framing (an unfinished event is discarded) and, unless {@code done} already went
     * out, calls {@link #endOfBody()}.
     */
    @Override
    public final void end(Consumer<? super StreamChunk> out) {
        if (isDone()) {
            return;
        }
        sink = out;
        try {
            sse.end();
            endOfBody();
        } finally {
            sink = null;
        }
    }

    /**
     * The body ended and no terminal event has been seen: emit through {@link #sink()} whatever that
     * means for the protocol (usually {@code incomplete_stream}, then {@code done}).
     */
    protected abstract void endOfBody();

    /**
     * Reports a malformed event through {@link #sink()}: an {@code error} chunk with code
     * {@code malformed_event}, then {@code done}/{@code error}.
     */
    protected abstract void malformed(String what);

    /**
     * The event's data parsed as a JSON object, or null when it is not one, after reporting it as
     * {@linkplain #malformed(String) malformed} in the words of {@code provider} (e.g. "Anthropic").
     */
    protected final JsonNode readObject(SseEvent event, String provider) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(event.data());
        } catch (JacksonException e) {
            malformed("malformed JSON in the " + provider + " '" + event.event() + "' event: " + Json.describe(e));
            return null;
        }
        if (!json.isObject()) {
            malformed("the " + provider + " '" + event.event() + "' event is not a JSON object");
            return null;
        }
        return json;
    }

    /** The consumer of the {@code feed} or {@code end} call in progress; null outside one. */
    protected final Consumer<? super StreamChunk> sink() {
        return sink;
    }

    /** Whether an event's data has nothing to decode: blank, or the {@code [DONE]} sentinel. */
    public static boolean isBlankOrDone(String data) {
        return data.isBlank() || data.strip().equals("[DONE]");
    }
}
