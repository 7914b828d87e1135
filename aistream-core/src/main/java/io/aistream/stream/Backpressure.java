package io.aistream.stream;

/**
 * What a {@link ChatStream} does when its consumer is slower than its source.
 *
 * <p>Under every strategy the memory a stream holds is bounded (by
 * {@link ChatStream.Builder#bufferCapacity(int) bufferCapacity} chunks, plus the terminal chunks,
 * plus, for {@link #DROP}, the answer text itself), and the stream still ends with exactly one
 * {@code done} chunk. {@code error} and {@code done} chunks are never dropped.
 *
 * <p>Only {@link #BLOCK} leaves the pace entirely to the consumer. The other strategies start one
 * read-ahead task per stream (on a virtual thread unless {@link ChatStream.Builder#executor} says
 * otherwise) that pulls from the source into a bounded queue as fast as the source delivers.
 */
public enum Backpressure {

    /**
     * The default: nothing is read ahead. {@link ChunkSource#next()} is called only when the consumer
     * asks for a chunk, on the consumer's own thread, so a slow consumer slows the source (and, for a
     * network source, TCP pushes back on the provider). Lossless; no extra thread; no queue.
     */
    BLOCK,

    /**
     * Read ahead into a queue of at most {@code bufferCapacity} chunks. If the source gets a whole
     * buffer ahead of the consumer, the stream fails: the source is cancelled, and after the chunks
     * already queued the consumer receives an {@code error} chunk with code
     * {@link io.aistream.ErrorCode#BUFFER_OVERFLOW buffer_overflow} and a {@code done} with
     * finish reason {@code error}. Lossless until it fails; it never blocks the source.
     */
    BUFFER,

    /**
     * Read ahead; when the queue is full, {@code content} and {@code reasoning} deltas are dropped
     * (and counted) instead of queued. {@code tool_call}, {@code error} and {@code done} chunks are
     * never dropped: for those the read-ahead waits until the consumer makes room. If anything was
     * dropped, the final {@code done} carries the full answer text (every content delta, delivered or
     * dropped) in {@link io.aistream.chunk.DoneChunk#content()} and the number of dropped deltas in
     * {@link io.aistream.chunk.DoneChunk#dropped()}; dropped reasoning text is not recoverable. Suits
     * a live view that only needs to catch up.
     */
    DROP,

    /**
     * Read ahead; while the consumer is behind, a new delta is merged into the last queued chunk when
     * that chunk is of the same kind: content into content, reasoning into reasoning, and a
     * {@code tool_call} fragment carrying only arguments into the queued fragment of the same call
     * index. Lossless: the consumer receives the same text in fewer, larger chunks. A merged chunk
     * grows to at most 65,536 characters; when nothing can be merged
     * and the queue is full, the read-ahead waits for the consumer.
     */
    COALESCE
}
