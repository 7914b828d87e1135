package io.aistream.stream;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;

/**
 * {@link Backpressure#DROP}: a content or reasoning delta that finds the queue full is dropped and
 * counted; anything else waits for room. All content text is kept for the final done.
 */
final class DropQueue extends ChunkQueue {
    private final StringBuilder fullContent = new StringBuilder();
    private long dropped;

    DropQueue(int capacity) {
        super(capacity);
    }

    @Override
    protected boolean offer(StreamChunk chunk) throws InterruptedException {
        if (chunk instanceof ContentChunk content) {
            fullContent.append(content.delta());
        }
        boolean droppable = chunk instanceof ContentChunk || chunk instanceof ReasoningChunk;
        if (droppable && size() >= capacity) {
            dropped++;
            return true;
        }
        if (!awaitRoom()) {
            return false;
        }
        enqueue(chunk);
        return true;
    }

    @Override
    protected DoneChunk finalDone(DoneChunk done) {
        return dropped == 0 ? done : done.withDropped(fullContent.toString(), dropped);
    }
}
