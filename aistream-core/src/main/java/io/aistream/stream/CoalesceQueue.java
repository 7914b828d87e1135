package io.aistream.stream;

import io.aistream.chunk.ChunkFootprint;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;

/**
 * {@link Backpressure#COALESCE}: while the consumer is behind, deltas are merged into the newest
 * waiting chunk when it is of the same kind, as long as the merged text keeps the queue under its
 * byte bound; otherwise the read-ahead waits for room.
 *
 * <p>The newest waiting chunk is kept apart from the others ({@link #tail}), with a builder that
 * collects merged text, so merging costs an append rather than a copy of the whole text so far. It
 * counts towards the capacity like any waiting chunk. Merged text is counted as it is appended
 * ({@link ChunkFootprint#text}), so the chunk the tail becomes has exactly the footprint counted for
 * it: the estimate is linear in the text's length.
 */
final class CoalesceQueue extends ChunkQueue {
    /** The largest text, in chars, one merged delta may grow to. */
    static final int MAX_MERGED_CHARS = 64 * 1024;

    private StreamChunk tail;
    private StringBuilder merged;

    CoalesceQueue(QueueLimits limits) {
        super(limits);
    }

    @Override
    protected boolean offer(StreamChunk chunk) throws InterruptedException {
        long bytes = ChunkFootprint.bytes(chunk);
        while (true) {
            if (tail != null && tryMerge(chunk)) {
                return true;
            }
            if (hasRoom(bytes)) {
                if (tail != null) {
                    items.add(materializeTail());
                }
                tail = chunk;
                addQueued(bytes);
                grew();
                return true;
            }
            if (!awaitRoom(bytes)) {
                return false;
            }
            // the consumer made room, possibly taking the tail: try merging again before queueing
        }
    }

    @Override
    protected void discard() {
        tail = null;
        merged = null;
    }

    @Override
    protected int size() {
        return items.size() + (tail != null ? 1 : 0);
    }

    @Override
    protected StreamChunk poll() {
        StreamChunk head = items.poll();
        return head != null || tail == null ? head : materializeTail();
    }

    private boolean tryMerge(StreamChunk next) {
        String delta = mergeableDelta(tail, next);
        if (delta == null) {
            return false;
        }
        int sofar =
                merged != null ? merged.length() : mergeableDelta(tail, tail).length();
        if (sofar + delta.length() > MAX_MERGED_CHARS
                || queuedBytes() + ChunkFootprint.text(delta.length()) > maxBytes) {
            return false;
        }
        if (merged == null) {
            merged = new StringBuilder(Math.min(MAX_MERGED_CHARS, 2 * (sofar + delta.length())))
                    .append(mergeableDelta(tail, tail));
        }
        merged.append(delta);
        addQueued(ChunkFootprint.text(delta.length()));
        return true;
    }

    /** The text {@code next} would add to {@code queued}, or null if the two cannot merge. */
    private static String mergeableDelta(StreamChunk queued, StreamChunk next) {
        return switch (next) {
            case ContentChunk c when queued instanceof ContentChunk -> c.delta();
            case ReasoningChunk r when queued instanceof ReasoningChunk -> r.delta();
            case ToolCallChunk t
            when queued instanceof ToolCallChunk q
                    && q.toolCall().index() == t.toolCall().index()
                    && (t == q
                            || (t.toolCall().callId().isEmpty()
                                    && t.toolCall().name().isEmpty())) ->
                t.toolCall().argumentsDelta();
            default -> null;
        };
    }

    private StreamChunk materializeTail() {
        StreamChunk chunk = tail;
        StringBuilder text = merged;
        tail = null;
        merged = null;
        if (text == null) {
            return chunk;
        }
        return switch (chunk) {
            case ContentChunk c -> ContentChunk.of(text.toString());
            case ReasoningChunk r -> ReasoningChunk.of(text.toString());
            case ToolCallChunk t ->
                ToolCallChunk.of(new ToolCallDelta(
                        t.toolCall().index(),
                        t.toolCall().callId(),
                        t.toolCall().name(),
                        text.toString()));
            default -> throw new IllegalStateException("not mergeable: " + chunk.type());
        };
    }
}
