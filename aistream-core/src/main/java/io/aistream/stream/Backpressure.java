package io.aistream.stream;

/**
 * What a {@link ChatStream} does when its consumer is slower than its source.
 *
 * <p>Only {@link #BLOCK} leaves the pace entirely to the consumer. The other strategies start one
 * read-ahead task per stream (on a virtual thread unless {@link ChatStream.Builder#executor} says
 * otherwise) that pulls from the source into a bounded queue as fast as the source delivers. Under
 * every strategy the stream still ends with exactly one {@code done} chunk, and {@code error} and
 * {@code done} chunks are never dropped.
 *
 * <h2>Memory per stream</h2>
 *
 * <p>Under every strategy the bytes a stream retains are bounded; the read-ahead queue reports them
 * to the {@link ChatStream.Builder#byteMeter(ByteMeter) byte meter}, and the bounds below hold for
 * what it reports at any moment. Bytes are {@link io.aistream.chunk.ChunkFootprint} estimates (96
 * bytes per chunk plus 2 per character of text). With
 * <ul>
 *   <li>{@code C} = {@link ChatStream.Builder#bufferCapacity(int) bufferCapacity} (chunks, default 256),</li>
 *   <li>{@code B} = {@link ChatStream.Builder#bufferBytes(long) bufferBytes} (default 1 MiB),</li>
 *   <li>{@code R} = {@link ChatStream.Builder#dropRecoveryChars(int) dropRecoveryChars} (default 0),</li>
 *   <li>{@code M} = the footprint of the largest single chunk the source produces,</li>
 *   <li>{@code Q} = {@code min(C × M, max(B, M))}: the chunks waiting in the queue, which hold at most
 *       {@code B} bytes, except that a single chunk larger than {@code B} still gets in when nothing
 *       else waits (so no chunk can stall a stream for good), and</li>
 *   <li>{@code T} = the terminal chunks waiting beside the queue: the source's {@code done} (at most
 *       {@code M}), or instead, when the queue itself ends the stream (overflow, a failed
 *       read-ahead), the {@code error} and {@code done} it adds (a few hundred bytes),</li>
 * </ul>
 * the per-stream bounds are:
 * <table>
 *   <caption>retained bytes per stream</caption>
 *   <tr><th>strategy</th><th>retained bytes (reported)</th></tr>
 *   <tr><td>{@link #BLOCK}</td><td>0: nothing beyond the one chunk being handed to the consumer</td></tr>
 *   <tr><td>{@link #BUFFER}</td><td>{@code Q + T}</td></tr>
 *   <tr><td>{@link #DROP}</td><td>{@code Q + T + 2 × R} (the recovery text; it moves into the done,
 *       so it is counted once)</td></tr>
 *   <tr><td>{@link #COALESCE}</td><td>{@code max(B, M) + T}: text is merged into a waiting chunk only
 *       while the queue stays within {@code B}; merged chunks are larger than the source's, so the
 *       {@code C × M} term of {@code Q} does not apply</td></tr>
 * </table>
 * Besides what is reported, the read-ahead task of a strategy other than BLOCK holds the one chunk it
 * is handing over (at most {@code M}), as a BLOCK consumer would. With the defaults and token-sized
 * deltas the capacity binds first (about 30 KiB); the byte bound caps streams of large deltas and
 * coalesced text at about 1 MiB.
 *
 * <p>When a stream ends in any way (its done taken, an error, an overflow, an abort, a close by
 * either side) the queue releases everything it held, so its meter account returns to exactly 0.
 */
public enum Backpressure {

    /**
     * The default: nothing is read ahead. {@link ChunkSource#next()} is called only when the consumer
     * asks for a chunk, on the consumer's own thread, so a slow consumer slows the source (and, for a
     * network source, TCP pushes back on the provider). Lossless; no extra thread; no queue.
     */
    BLOCK,

    /**
     * Read ahead into a queue of at most {@code bufferCapacity} chunks holding at most
     * {@code bufferBytes} bytes. If the source gets that far ahead of the consumer (either bound), the
     * stream fails: the source is cancelled, and after the chunks already queued the consumer receives
     * an {@code error} chunk with code {@link io.aistream.ErrorCode#BUFFER_OVERFLOW buffer_overflow}
     * and a {@code done} with finish reason {@code error}. A single chunk larger than
     * {@code bufferBytes} does not overflow an empty queue. Lossless until it fails; it never blocks
     * the source.
     */
    BUFFER,

    /**
     * Read ahead; when the queue is full (by chunks or by bytes), {@code content} and
     * {@code reasoning} deltas are dropped (and counted) instead of queued. {@code tool_call},
     * {@code error} and {@code done} chunks are never dropped: for those the read-ahead waits until
     * the consumer makes room. If anything was dropped, the final {@code done} carries the number of
     * dropped deltas in {@link io.aistream.chunk.DoneChunk#dropped()}, and the text the consumer
     * received is incomplete.
     *
     * <p>The whole answer text is not kept by default (it would grow with the answer). With
     * {@link ChatStream.Builder#dropRecoveryChars(int) dropRecoveryChars} {@code > 0} the stream keeps
     * the content text (every content delta, delivered or dropped) while it stays within that many
     * characters, and a done after drops then carries it in
     * {@link io.aistream.chunk.DoneChunk#content()}; an answer longer than the cap is given up as soon
     * as it passes the cap and its done carries no content. Dropped reasoning text is never
     * recoverable. Suits a live view that only needs to catch up.
     */
    DROP,

    /**
     * Read ahead; while the consumer is behind, a new delta is merged into the last queued chunk when
     * that chunk is of the same kind: content into content, reasoning into reasoning, and a
     * {@code tool_call} fragment carrying only arguments into the queued fragment of the same call
     * index. Lossless: the consumer receives the same text in fewer, larger chunks. A merged chunk
     * grows to at most 65,536 characters, and only while the queue stays within
     * {@code bufferBytes}; when nothing can be merged and the queue is full (by chunks or by bytes),
     * the read-ahead waits for the consumer.
     */
    COALESCE
}
