package io.aistream.server.resume;

import io.aistream.chunk.StreamChunk;
import java.util.Optional;

/**
 * The kept chunks of one resumable stream: one producer appends them in {@code seq} order, any
 * number of followers read them — first what is kept, then live as chunks arrive.
 *
 * <p><b>Bounds.</b> A buffer keeps at most its store's chunk and byte limits; when an append would
 * exceed them, the <em>oldest</em> chunks are evicted, so a live stream never fails because of its
 * resume window. Resuming from before the oldest kept chunk is then impossible: the gateway answers
 * {@code 410 Gone}, and a follower that falls that far behind gets a {@link ChunksEvictedException}.
 *
 * <p><b>Threading.</b> Thread-safe. {@link #append} is called by one producer thread; followers
 * block on their own threads (virtual threads in the gateway).
 */
public interface StreamBuffer {

    /** The stream's id. */
    String streamId();

    /** Who started the stream (an opaque principal id, never a key); followers must match it. */
    String owner();

    /**
     * Appends the next chunk; its {@code seq} must be one more than the last one's (0 first). A
     * {@code done} chunk finishes the buffer: it is then kept for the store's time to live and
     * nothing more may be appended.
     *
     * @throws IllegalStateException    if the buffer is finished
     * @throws IllegalArgumentException if the seq is out of order
     */
    void append(StreamChunk chunk);

    /** Whether the {@code done} chunk has been appended. */
    boolean finished();

    /** The seq of the last appended chunk, -1 before the first. */
    long lastSeq();

    /** The seq of the oldest kept chunk ({@code lastSeq() + 1} when nothing is kept). */
    long oldestSeq();

    /**
     * A reader of every chunk with a seq greater than {@code afterSeq}: the kept ones first, then
     * live ones as they are appended, up to and including {@code done}.
     *
     * @param afterSeq the last seq the reader already has; -1 for all
     */
    Follower follow(long afterSeq);

    /**
     * The producer appends nothing more: the stream finished, was stopped under it, or another node took it
     * over. A store shared by several nodes stops reporting the producer's progress to this node's
     * followers; the in-memory store needs nothing (the default). Called once by the producer, last.
     */
    default void producerDone() {}

    /** One reader's position in a {@link StreamBuffer}. Used by one thread; {@link #close()} from any. */
    interface Follower extends AutoCloseable {
        /**
         * Blocks until the next chunk is there.
         *
         * @return the next chunk; empty after the {@code done} chunk was returned, or once closed
         * @throws ChunksEvictedException if the next chunk was evicted before this follower read it
         * @throws InterruptedException   if the thread is interrupted while waiting
         */
        Optional<StreamChunk> next() throws InterruptedException;

        /** Ends this follower: a blocked {@link #next()} returns empty. Idempotent, any thread. */
        @Override
        void close();
    }
}
