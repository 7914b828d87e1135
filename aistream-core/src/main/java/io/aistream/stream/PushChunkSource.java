package io.aistream.stream;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link ChunkSource} that a push-style producer feeds: a callback API (a streaming handler, a
 * reactive subscriber) calls {@link #push} as chunks arrive, and the owning {@link ChatStream} pulls
 * them with {@link #next()}.
 *
 * <p><b>Bounds.</b> Chunks waiting for the consumer are bounded by count and by bytes
 * ({@link io.aistream.chunk.ChunkFootprint} estimates), as a {@link Backpressure#BUFFER} read-ahead
 * is. {@code push} never blocks the producer's thread: a chunk that finds no room ends the source
 * with a {@code buffer_overflow} error chunk that names the bound, then done({@code error}), and
 * cancels the upstream (the {@link Builder#onCancel cancel hook} runs). A single chunk larger than
 * the byte bound still gets through when nothing else waits.
 *
 * <p><b>Demand.</b> A producer that can be told when to produce (a Reactive Streams subscription)
 * gives an {@link Builder#onDemand demand hook}: {@link #next()} runs it on the consumer's thread
 * when nothing waits, before it blocks, so the producer is asked for more only as the consumer pulls.
 *
 * <p><b>Threading.</b> {@link #push}, {@link #fail} and {@link #end} are for the producer, one call at
 * a time (callbacks of one stream do not overlap). {@link #next()} is for one consumer thread.
 * {@link #cancel()} may be called from any thread, any number of times: it discards what waits,
 * wakes the consumer and runs the cancel hook once. Whatever is pushed after the source ended or was
 * cancelled is ignored ({@code push} returns false).
 */
public final class PushChunkSource implements ChunkSource {
    private final ChunkQueue queue;
    private final Runnable onCancel;
    private final Runnable onDemand;
    private final AtomicBoolean upstreamCancelled = new AtomicBoolean();
    /** The producer ended the source (done, failure or end): closing then need not cancel the upstream. */
    private volatile boolean ended;

    private PushChunkSource(Builder builder) {
        this.queue = new BufferQueue(new QueueLimits(builder.maxChunks, builder.maxBytes, 0, ByteMeter.none()));
        this.onCancel = builder.onCancel;
        this.onDemand = builder.onDemand;
    }

    /** Starts configuring a source; the defaults bound it by {@link ChatStream.Builder#DEFAULT_BUFFER_BYTES} only. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Producer: hands over the next chunk without blocking. A {@link DoneChunk} ends the source (the
     * consumer gets it after everything pushed before).
     *
     * @return false if the chunk was not taken: the source had ended or was cancelled, or the chunk
     *         overflowed the bound (the source then ends with {@code buffer_overflow} and the upstream
     *         is cancelled); the producer should stop. A chunk pushed after the producer's own end
     *         is ignored without cancelling anything.
     */
    public boolean push(StreamChunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        boolean taken;
        try {
            taken = queue.put(chunk);
        } catch (InterruptedException e) {
            // a BUFFER queue never waits for room, so this cannot happen; keep the flag for the caller
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (taken && chunk instanceof DoneChunk) {
            ended = true;
        }
        if (!taken && !ended) {
            cancelUpstream(); // an overflow (or a push after a cancel, which already ran the hook)
        }
        return taken;
    }

    /** Producer: ends the source with an error chunk and done({@code error}) after what waits. */
    public void fail(ChunkError error) {
        Objects.requireNonNull(error, "error");
        ended = true;
        queue.fail(error);
    }

    /**
     * Producer: the upstream ended. If no {@link DoneChunk} was pushed, the owning {@link ChatStream}
     * reports an {@code incomplete_stream} error after what waits.
     */
    public void end() {
        ended = true;
        queue.finish();
    }

    /** Whether {@link #cancel()} ran or an overflow cancelled the upstream. */
    public boolean isCancelled() {
        return upstreamCancelled.get();
    }

    /**
     * Consumer: the next chunk, waiting for one; runs the demand hook first when nothing waits.
     *
     * @return the next chunk, or empty once the source ended (after its last chunk) or was cancelled
     */
    @Override
    public Optional<StreamChunk> next() throws InterruptedException {
        if (onDemand != null && queue.isIdle()) {
            onDemand.run();
        }
        return Optional.ofNullable(queue.take());
    }

    /** Discards what waits, wakes the consumer and runs the cancel hook (once). */
    @Override
    public void cancel() {
        queue.close();
        cancelUpstream();
    }

    private void cancelUpstream() {
        if (upstreamCancelled.compareAndSet(false, true) && onCancel != null) {
            onCancel.run();
        }
    }

    /**
     * Releases what waits; cancels the upstream (runs the cancel hook) only if the producer has not
     * ended the source, so closing a finished stream does not cancel a call that is over.
     */
    @Override
    public void close() {
        queue.close();
        if (!ended) {
            cancelUpstream();
        }
    }

    @Override
    public String toString() {
        return "PushChunkSource[cancelled=" + upstreamCancelled.get() + "]";
    }

    /** Configures a {@link PushChunkSource}. Not thread-safe. */
    public static final class Builder {
        private int maxChunks = Integer.MAX_VALUE;
        private long maxBytes = ChatStream.Builder.DEFAULT_BUFFER_BYTES;
        private Runnable onCancel;
        private Runnable onDemand;

        private Builder() {}

        /** At most this many chunks wait for the consumer (default: no count bound, only bytes). */
        public Builder maxChunks(int chunks) {
            if (chunks < 1) {
                throw new IllegalArgumentException("maxChunks must be at least 1: " + chunks);
            }
            this.maxChunks = chunks;
            return this;
        }

        /** Chunks waiting for the consumer hold at most this many bytes (default 1 MiB). */
        public Builder maxBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBytes must be at least 1: " + bytes);
            }
            this.maxBytes = bytes;
            return this;
        }

        /**
         * Stops the upstream work (cancels the call, disposes the subscription); run once, on the
         * thread that cancels or on the producer's thread at an overflow. Must not block.
         */
        public Builder onCancel(Runnable hook) {
            this.onCancel = Objects.requireNonNull(hook, "onCancel");
            return this;
        }

        /**
         * Asks the producer for more; run on the consumer's thread when nothing waits. It may run
         * again before the producer answered, so it must be idempotent while a request is open.
         * Must not block.
         */
        public Builder onDemand(Runnable hook) {
            this.onDemand = Objects.requireNonNull(hook, "onDemand");
            return this;
        }

        /** Builds the source. */
        public PushChunkSource build() {
            return new PushChunkSource(this);
        }
    }
}
