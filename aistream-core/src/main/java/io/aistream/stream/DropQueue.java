package io.aistream.stream;

import io.aistream.chunk.ChunkFootprint;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;

/**
 * {@link Backpressure#DROP}: a content or reasoning delta that finds no room (by count or by bytes)
 * is dropped and counted; anything else waits for room.
 *
 * <p>With a recovery cap ({@link QueueLimits#recoveryChars()} above 0) the content text, delivered
 * and dropped, is kept while it fits under the cap, so that the final done can carry the whole answer;
 * the first delta that would pass the cap gives the text up for good (the builder is freed at once).
 * Reasoning text is never kept.
 */
final class DropQueue extends ChunkQueue {
    private final int recoveryChars;
    /** The content so far, for the final done; null when recovery is off or was given up. */
    private StringBuilder recovery;

    private long dropped;

    DropQueue(QueueLimits limits) {
        super(limits);
        this.recoveryChars = limits.recoveryChars();
        this.recovery = recoveryChars > 0 ? new StringBuilder() : null;
    }

    @Override
    protected boolean offer(StreamChunk chunk) throws InterruptedException {
        if (chunk instanceof ContentChunk content) {
            keepForRecovery(content.delta());
        }
        long bytes = ChunkFootprint.bytes(chunk);
        boolean droppable = chunk instanceof ContentChunk || chunk instanceof ReasoningChunk;
        if (droppable && !hasRoom(bytes)) {
            dropped++;
            report(0); // the recovery text may have changed
            return true;
        }
        // only content changes the recovery text, and content never waits: nothing is pending here
        if (!awaitRoom(bytes)) {
            return false;
        }
        enqueue(chunk, bytes);
        return true;
    }

    private void keepForRecovery(String delta) {
        if (recovery == null) {
            return;
        }
        if (recovery.length() + delta.length() > recoveryChars) {
            retain(-ChunkFootprint.text(recovery.length()));
            recovery = null; // past the cap: the text can no longer be whole, so keep none of it
            return;
        }
        recovery.append(delta);
        retain(ChunkFootprint.text(delta.length()));
    }

    @Override
    protected DoneChunk finalDone(DoneChunk done) {
        if (dropped == 0) {
            return done;
        }
        return recovery != null ? done.withDropped(recovery.toString(), dropped) : done.withDropped(dropped);
    }

    @Override
    protected void completing() {
        if (recovery != null) {
            retain(-ChunkFootprint.text(recovery.length())); // now in the done, if anywhere
            recovery = null;
        }
    }

    @Override
    protected void discard() {
        recovery = null;
    }
}
