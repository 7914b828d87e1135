package io.aistream.stream;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;

/** {@link Backpressure#BUFFER}: queue everything; a chunk that finds the queue full ends the stream. */
final class BufferQueue extends ChunkQueue {

    BufferQueue(int capacity) {
        super(capacity);
    }

    @Override
    protected boolean offer(StreamChunk chunk) {
        if (size() >= capacity) {
            complete(
                    ErrorChunk.of(ChunkError.of(
                            ErrorCode.BUFFER_OVERFLOW, "the consumer fell " + capacity + " chunks behind the source")),
                    DoneChunk.of(FinishReason.ERROR));
            return false;
        }
        enqueue(chunk);
        return true;
    }
}
