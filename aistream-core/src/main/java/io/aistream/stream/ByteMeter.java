package io.aistream.stream;

/**
 * Told how many bytes a stream's read-ahead queue retains, as changes: an external account (e.g. a
 * gateway's memory budget) adds them up. Bytes are {@link io.aistream.chunk.ChunkFootprint}
 * estimates.
 *
 * <p>A queue reports {@code +bytes} when it queues a chunk, merges text into a queued chunk
 * ({@link Backpressure#COALESCE}) or grows the text it keeps for recovery ({@link Backpressure#DROP}),
 * and {@code -bytes} when the consumer takes a chunk, when recovery text is given up, and, when the
 * stream is closed or aborted, for everything it still held. Dropped deltas are never counted. The sum
 * of what one stream reports is never negative and returns to exactly 0 once the stream has ended in
 * any way (its done taken, an error, an overflow, an abort, a close by either side). A
 * {@link Backpressure#BLOCK} stream queues nothing and reports nothing.
 *
 * <p><b>Threading.</b> {@link #add} is called at most once per chunk (plus once on close), always
 * while the stream's queue lock is held, so one stream's calls never overlap; they come from the
 * read-ahead thread, the consuming thread, or whichever thread closes or aborts the stream. One
 * meter is typically shared by many streams, so an implementation must be thread-safe, must not
 * block, allocate per call or throw, and must not call back into the stream (e.g. a
 * {@link java.util.concurrent.atomic.LongAdder} or an {@link java.util.concurrent.atomic.AtomicLong}).
 */
@FunctionalInterface
public interface ByteMeter {

    /** Records that the queue now retains {@code delta} more bytes (fewer, if negative); never 0. */
    void add(long delta);

    /** A meter that ignores everything: the default. */
    static ByteMeter none() {
        return delta -> {}; // non-capturing: one shared instance
    }
}
