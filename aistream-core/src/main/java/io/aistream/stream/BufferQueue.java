package io.aistream.stream;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ChunkFootprint;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.StreamChunk;

/**
 * {@link Backpressure#BUFFER}: queue everything; a chunk that finds no room (by count or by bytes)
 * ends the stream with {@code buffer_overflow}.
 */
final class BufferQueue extends ChunkQueue {

    BufferQueue(QueueLimits limits) {
        super(limits);
    }

    @Override
    protected boolean offer(StreamChunk chunk) {
        long bytes = ChunkFootprint.bytes(chunk);
        if (!hasRoom(bytes)) {
            String behind = size() >= capacity ? capacity + " chunks" : "more than " + maxBytes + " bytes";
            complete(
                    ErrorChunk.of(ChunkError.of(
                            ErrorCode.BUFFER_OVERFLOW, "the consumer fell " + behind + " behind the source")),
                    madeUpErrorDone());
            return false;
        }
        enqueue(chunk, bytes);
        return true;
    }
}
