package io.aistream.server.resume;

import io.aistream.chunk.ChunkFootprint;
import io.aistream.chunk.StreamChunk;

/**
 * The memory a kept chunk costs, as {@link ChunkFootprint} estimates it (the same formula the
 * read-ahead queues report): deterministic, so eviction can subtract exactly what an append added.
 */
final class ChunkSize {

    private ChunkSize() {}

    static long estimate(StreamChunk chunk) {
        return ChunkFootprint.bytes(chunk);
    }
}
