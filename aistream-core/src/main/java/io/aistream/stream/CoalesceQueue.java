package io.aistream.stream;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;

/**
 * {@link Backpressure#COALESCE}: while the consumer is behind, deltas are merged into the newest
 * waiting chunk when it is of the same kind.
 *
 * <p>The newest waiting chunk is kept apart from the others ({@link #tail}), with a builder that
 * collects merged text, so merging costs an append rather than a copy of the whole text so far. It
 * counts towards the capacity like any waiting chunk.
 */
final class CoalesceQueue extends ChunkQueue {
    /** The largest text, in chars, one merged delta may grow to. */
    static final int MAX_MERGED_CHARS = 64 * 1024;

    private StreamChunk tail;
    private StringBuilder merged;

    CoalesceQueue(int capacity) {
        super(capacity);
    }

    @Override
    protected boolean offer(StreamChunk chunk) throws InterruptedException {
        while (true) {
            if (tail != null && tryMerge(chunk)) {
                return true;
            }
            if (size() < capacity) {
                if (tail != null) {
                    items.add(materializeTail());
                }
                tail = chunk;
                grew();
                return true;
            }
            if (!awaitRoom()) {
                return false;
            }
            // the consumer made room, possibly taking the tail: try merging again before queueing
        }
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
        if (merged == null) {
            String first = mergeableDelta(tail, tail);
            if (first.length() + delta.length() > MAX_MERGED_CHARS) {
                return false;
            }
            merged = new StringBuilder(Math.min(MAX_MERGED_CHARS, 2 * (first.length() + delta.length()))).append(first);
        } else if (merged.length() + delta.length() > MAX_MERGED_CHARS) {
            return false;
        }
        merged.append(delta);
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
