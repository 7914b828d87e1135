package io.aistream.stream;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;

/**
 * Callbacks for {@link ChatStream#runAsync(StreamCallbacks)}: each chunk goes to exactly one method.
 * They are called one at a time, in stream order, on the thread consuming the stream; a slow callback
 * slows the stream down according to its {@link Backpressure} strategy. A callback that throws ends
 * the consumption and closes the stream.
 */
@FunctionalInterface
public interface StreamCallbacks {

    /** A content, reasoning or tool-call chunk. */
    void onChunk(StreamChunk chunk);

    /** The error an {@code error} chunk carries; the stream's done follows. */
    default void onError(ChunkError error) {}

    /** The stream's terminal chunk; nothing follows. */
    default void onComplete(DoneChunk done) {}
}
