package io.aistream.stream;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A pull-based handle to one stream of chunks from one {@link ChunkSource}.
 *
 * <pre>{@code
 * try (ChatStream s = ChatStream.builder(source).build()) {
 *     for (StreamChunk c : s) {
 *         if (c instanceof ContentChunk text) {
 *             System.out.print(text.delta());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>What the consumer sees.</b> Every chunk is re-stamped with this stream's {@link #id()} and a
 * gap-free {@code seq} from 0 (or from {@link Builder#firstSeq(long)}), and the stream ends with exactly one {@link DoneChunk}, last, whatever
 * the source does: a source that ends without {@code done} yields an {@code incomplete_stream} error
 * chunk and done(error); one that throws yields an error chunk (an {@link AIStreamException} keeps
 * its code and retryability, anything else becomes {@code source_failure}) and done(error); an error
 * chunk followed by the end gets its done(error). Whatever a source produces after its {@code done}
 * is never read. Errors are chunks, not exceptions: {@link #next()} throws only when the consuming
 * thread is interrupted.
 *
 * <p><b>Threading.</b> {@link #next()}, the iterator, {@link #stream()}, {@link #publisher()} and
 * {@link #runAsync(StreamCallbacks)} are alternative ways to consume; use one, from one thread at a
 * time. {@link #close()}, {@link #abort()}, {@link #id()} and {@link #isDone()} may be called from
 * any thread at any time. How far the source is read ahead of the consumer is the
 * {@link Backpressure} strategy's business; with the default, {@link Backpressure#BLOCK}, the
 * source is read on the consumer's thread, only when it asks.
 *
 * <p><b>Who closes what.</b> Whoever builds a ChatStream closes it; closing cancels the source if it
 * has not finished and makes a consumer blocked in {@code next()} see the end (without a
 * {@code done}). The stream closes its source exactly once, when the source has delivered its
 * {@code done} or the stream is closed or aborted, and never while the source's {@code next()} is
 * running. {@link #abort()} is the way to stop a stream someone else is still reading: the reader
 * gets a final done({@code aborted}).
 */
public final class ChatStream implements PullStream<StreamChunk> {
    private static final SecureRandom IDS = new SecureRandom();

    private enum State {
        OPEN,
        ABORTING,
        FINISHED
    }

    private final String id;
    private final Backpressure backpressure;
    private final ChunkFeed feed;
    private final StreamManager manager;
    private final Executor executor;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private final AtomicBoolean consumedByPublisher = new AtomicBoolean();
    /** Next seq to stamp; only touched by the (one) consuming thread. */
    private long seq;

    private ChatStream(
            String id,
            Backpressure backpressure,
            ChunkFeed feed,
            StreamManager manager,
            Executor executor,
            long firstSeq) {
        this.id = id;
        this.seq = firstSeq;
        this.backpressure = backpressure;
        this.feed = feed;
        this.manager = manager;
        this.executor = executor;
    }

    /** Starts building a stream over {@code source}; the stream takes ownership of the source. */
    public static Builder builder(ChunkSource source) {
        return new Builder(source);
    }

    /** This stream's id, e.g. {@code st_…}; every chunk it delivers carries it. */
    public String id() {
        return id;
    }

    /** The backpressure strategy the stream was built with. */
    public Backpressure backpressure() {
        return backpressure;
    }

    /**
     * Whether {@link #next()} has nothing more to give: the {@code done} chunk was delivered, or the
     * stream was closed. An aborted stream is done once its done({@code aborted}) was delivered.
     */
    public boolean isDone() {
        return state.get() == State.FINISHED;
    }

    /**
     * Blocks until the next chunk is available.
     *
     * @return the next chunk, or empty after the {@code done} chunk or once the stream is closed
     * @throws AIStreamException (code {@code aborted}) if the consuming thread is interrupted while
     *                           waiting; the interrupt flag is set again and the stream is closed
     */
    @Override
    public Optional<StreamChunk> next() {
        State current = state.get();
        if (current != State.OPEN) {
            return current == State.ABORTING ? abortedDone() : Optional.empty();
        }
        StreamChunk chunk;
        try {
            chunk = feed.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new AIStreamException(ErrorCode.ABORTED, "interrupted while waiting for the next chunk of " + id, e);
        }
        if (chunk instanceof DoneChunk && state.compareAndSet(State.OPEN, State.FINISHED)) {
            deregister();
            return Optional.of(chunk.withPosition(id, seq++));
        }
        current = state.get();
        if (chunk == null || current != State.OPEN) {
            // cancelled under us: an abort still owes its done, a close does not
            return current == State.ABORTING ? abortedDone() : finishQuietly();
        }
        return Optional.of(chunk.withPosition(id, seq++));
    }

    /**
     * How an event loop can pull this stream without blocking ({@link SourceReadiness}): present only for
     * {@link Backpressure#BLOCK} streams whose source offers readiness (the other strategies read ahead on a
     * thread of their own). Its {@code poll()} answers {@code READY} once the stream was aborted or closed (the
     * next {@link #next()} returns its done or its end at once). Ask once, from the consuming thread.
     */
    public Optional<SourceReadiness> readiness() {
        return feed.readiness().map(this::stateAware);
    }

    private SourceReadiness stateAware(SourceReadiness source) {
        return new SourceReadiness() {
            @Override
            public SourceReadiness.State poll() {
                return state.get() != ChatStream.State.OPEN ? SourceReadiness.State.READY : source.poll();
            }

            @Override
            public void onReady(Runnable callback) {
                source.onReady(callback);
            }

            @Override
            public void release() {
                source.release();
            }
        };
    }

    private Optional<StreamChunk> abortedDone() {
        if (!state.compareAndSet(State.ABORTING, State.FINISHED)) {
            return Optional.empty(); // closed in the meantime
        }
        return Optional.of(feed.fillDone(DoneChunk.of(FinishReason.ABORTED)).withPosition(id, seq++));
    }

    /**
     * Fills a done chunk made up outside the stream (a gateway ending a stream whose producer failed
     * or was closed under it) with what the stream's source knows: the usage the provider reported so
     * far, the provider and the model; see {@link ChunkSource#fillDone}. Any thread; never blocks.
     */
    public DoneChunk fillDone(DoneChunk done) {
        return feed.fillDone(done);
    }

    private Optional<StreamChunk> finishQuietly() {
        close();
        return Optional.empty();
    }

    /**
     * Stops the stream on behalf of whoever is still reading it: cancels the source (promptly, from
     * any thread), forgets the stream in its {@link StreamManager}, and makes the consumer's next
     * {@link #next()} return a final done with finish reason {@code aborted}, then the end. Chunks the
     * consumer had not yet taken (read ahead, or in flight) are discarded: the done({@code aborted})
     * comes next.
     *
     * @return true if this call aborted the stream; false if it had already delivered its done, or
     *         was closed or aborted before
     */
    public boolean abort() {
        if (!state.compareAndSet(State.OPEN, State.ABORTING)) {
            return false;
        }
        feed.cancel();
        deregister();
        return true;
    }

    /**
     * Cancels the source if it has not finished, and ends the stream without a further chunk: a
     * consumer blocked in {@link #next()} returns empty. Thread-safe, idempotent, prompt.
     */
    @Override
    public void close() {
        if (state.getAndSet(State.FINISHED) != State.FINISHED) {
            feed.cancel();
            deregister();
        }
    }

    /**
     * A {@link Flow.Publisher} view of this stream, delivering on the stream's executor (virtual
     * threads by default). See {@link #publisher(Executor)}.
     */
    public Flow.Publisher<StreamChunk> publisher() {
        return publisher(executor);
    }

    /**
     * A {@link Flow.Publisher} view of this stream that delivers on {@code deliveryExecutor}, which
     * must run each task on a thread that may block (each delivery task pulls with {@link #next()}).
     *
     * <ul>
     *   <li>Single subscriber: the first subscription (through any publisher of this stream) owns it; a
     *       later subscriber gets {@code onSubscribe} then {@code onError(IllegalStateException)}.</li>
     *   <li>Demand-driven: a chunk is pulled only while there is outstanding demand, so with
     *       {@link Backpressure#BLOCK} the source is not read before {@code request(n)}.</li>
     *   <li>Every chunk, {@code error} and {@code done} included, is an {@code onNext}; after the done
     *       comes {@code onComplete} (even without further demand). {@code onError} signals only
     *       failures of the bridge itself: a second subscriber, a non-positive request (§3.9), an
     *       interrupted delivery thread, a rejected delivery task.</li>
     *   <li>{@code cancel()} closes the stream, which cancels the source. Closing the stream
     *       elsewhere ends the subscription with {@code onComplete}.</li>
     * </ul>
     */
    public Flow.Publisher<StreamChunk> publisher(Executor deliveryExecutor) {
        return new ChatStreamPublisher(this, Objects.requireNonNull(deliveryExecutor, "deliveryExecutor"));
    }

    /** Claims the stream for a publisher's subscriber; false if one already has it. */
    boolean claimForPublisher() {
        return consumedByPublisher.compareAndSet(false, true);
    }

    /**
     * Consumes the whole stream on the stream's executor (a virtual thread by default), handing each
     * chunk to {@code callbacks}: error chunks to {@link StreamCallbacks#onError}, the done to
     * {@link StreamCallbacks#onComplete}, all others to {@link StreamCallbacks#onChunk}. Callbacks run
     * one at a time on that thread.
     *
     * @return a future completed with the done chunk; completed exceptionally if a callback throws
     *         (the stream is then closed), and cancelled if the stream is closed before its done.
     *         Cancelling the future closes the stream.
     */
    public CompletableFuture<DoneChunk> runAsync(StreamCallbacks callbacks) {
        Objects.requireNonNull(callbacks, "callbacks");
        CompletableFuture<DoneChunk> result = new CompletableFuture<>();
        result.whenComplete((done, failure) -> {
            if (result.isCancelled()) {
                close();
            }
        });
        Runnable task = () -> {
            try {
                for (StreamChunk chunk : this) {
                    switch (chunk) {
                        case ErrorChunk e -> callbacks.onError(e.error());
                        case DoneChunk d -> {
                            callbacks.onComplete(d);
                            result.complete(d);
                            return;
                        }
                        default -> callbacks.onChunk(chunk);
                    }
                }
                result.completeExceptionally(new CancellationException("stream " + id + " closed before its done"));
            } catch (Throwable t) {
                close();
                result.completeExceptionally(t);
            }
        };
        try {
            executor.execute(task);
        } catch (RuntimeException e) {
            close();
            result.completeExceptionally(e);
        }
        return result;
    }

    /** For tests: the most chunks that ever waited in the read-ahead queue (0 for BLOCK). */
    int queueHighWaterMark() {
        return feed.highWaterMark();
    }

    /** For tests: whether the read-ahead is waiting for room in the queue. */
    boolean producerWaiting() {
        return feed.producerWaiting();
    }

    private void deregister() {
        if (manager != null) {
            manager.remove(this);
        }
    }

    private static String newId() {
        byte[] random = new byte[12];
        IDS.nextBytes(random);
        return "st_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    @Override
    public String toString() {
        return "ChatStream[" + id + ", " + backpressure + ", " + state.get() + "]";
    }

    /**
     * Configures a {@link ChatStream}. Not thread-safe; {@link #build()} may be called once.
     */
    public static final class Builder {
        /** Read-ahead queue capacity, in chunks, unless {@link #bufferCapacity(int)} says otherwise. */
        public static final int DEFAULT_BUFFER_CAPACITY = 256;

        /**
         * Read-ahead queue bound, in bytes, unless {@link #bufferBytes(long)} says otherwise: 1 MiB.
         *
         * <p>Why: token-sized deltas cost about 100 bytes each, so for ordinary streams the 256-chunk
         * capacity binds first (about 30 KiB) and this bound never bites; 1 MiB is about 512K
         * characters, more than a whole long answer. It bites where the chunk count alone did not
         * bound memory: large deltas, and {@link Backpressure#COALESCE}, whose merged chunks (up to
         * 64K chars each) could otherwise hold 256 × 128 KiB = 32 MiB per stream.
         */
        public static final long DEFAULT_BUFFER_BYTES = 1L << 20;

        private final ChunkSource source;
        private String id;
        private Backpressure backpressure = Backpressure.BLOCK;
        private int bufferCapacity = DEFAULT_BUFFER_CAPACITY;
        private long bufferBytes = DEFAULT_BUFFER_BYTES;
        private int dropRecoveryChars;
        private ByteMeter byteMeter = ByteMeter.none();
        private StreamManager manager;
        private Executor executor;
        private Timeouts timeouts = Timeouts.none();
        private TimeSource timeSource = TimeSource.system();
        private long firstSeq;
        private boolean built;

        private Builder(ChunkSource source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /** The stream id; by default a random, unguessable {@code st_…}. */
        public Builder id(String streamId) {
            Objects.requireNonNull(streamId, "id");
            if (streamId.isBlank() || streamId.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("stream id must be non-blank without control characters");
            }
            this.id = streamId;
            return this;
        }

        /**
         * The {@code seq} of the stream's first chunk; 0 by default. For a stream that continues one
         * whose chunks {@code 0..n-1} someone else already delivered (another gateway node taking a
         * stream over): with {@code firstSeq(n)} the first chunk is stamped {@code n} and every later
         * one, including a synthesized done({@code aborted}) or done({@code error}), counts on from
         * there without a gap.
         *
         * @throws IllegalArgumentException if {@code seq} is negative
         */
        public Builder firstSeq(long seq) {
            if (seq < 0) {
                throw new IllegalArgumentException("firstSeq must not be negative: " + seq);
            }
            this.firstSeq = seq;
            return this;
        }

        /** The backpressure strategy; {@link Backpressure#BLOCK} by default. */
        public Builder backpressure(Backpressure strategy) {
            this.backpressure = Objects.requireNonNull(strategy, "backpressure");
            return this;
        }

        /** How many chunks a read-ahead strategy may queue (default 256); ignored by BLOCK. */
        public Builder bufferCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("bufferCapacity must be at least 1: " + capacity);
            }
            this.bufferCapacity = capacity;
            return this;
        }

        /**
         * How many bytes ({@link io.aistream.chunk.ChunkFootprint} estimates) the chunks waiting in a
         * read-ahead queue may hold (default {@link #DEFAULT_BUFFER_BYTES}), in addition to
         * {@link #bufferCapacity(int)}; ignored by BLOCK. A single chunk larger than this still gets
         * through when nothing else waits. See {@link Backpressure} for what each strategy does at
         * the bound.
         */
        public Builder bufferBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("bufferBytes must be at least 1: " + bytes);
            }
            this.bufferBytes = bytes;
            return this;
        }

        /**
         * {@link Backpressure#DROP} only: keep the answer's content text, up to {@code chars}
         * characters, so that a stream that dropped deltas can still end with the whole text in
         * {@link io.aistream.chunk.DoneChunk#content()}. Default 0: nothing is kept, and a done after
         * drops carries only the {@code dropped} count. When the text passes the cap it is given up at
         * once and the done carries no content. Costs up to 2 bytes per char per stream (reported to
         * the {@link #byteMeter(ByteMeter) byte meter}).
         */
        public Builder dropRecoveryChars(int chars) {
            if (chars < 0) {
                throw new IllegalArgumentException("dropRecoveryChars must not be negative: " + chars);
            }
            this.dropRecoveryChars = chars;
            return this;
        }

        /**
         * Told every change of the bytes the stream's read-ahead queue retains, e.g. to charge them to
         * a shared memory budget; see {@link ByteMeter} for when and on which thread. Default: none.
         * BLOCK streams retain nothing and never call it.
         */
        public Builder byteMeter(ByteMeter meter) {
            this.byteMeter = Objects.requireNonNull(meter, "byteMeter");
            return this;
        }

        /** A manager to register the stream with, so it can be found and aborted by id. */
        public Builder manager(StreamManager streamManager) {
            this.manager = Objects.requireNonNull(streamManager, "manager");
            return this;
        }

        /**
         * Runs the read-ahead task, publisher deliveries and {@link ChatStream#runAsync}; each task
         * blocks, so this must not be a small shared pool. Default: a new virtual thread per task.
         */
        public Builder executor(Executor taskExecutor) {
            this.executor = Objects.requireNonNull(taskExecutor, "executor");
            return this;
        }

        /**
         * Limits on time to the first chunk, idle time between chunks and total time; by default none.
         * A limit that passes cancels the source and ends the stream with an {@code error} chunk
         * ({@code first_chunk_timeout}, {@code idle_timeout} or {@code total_timeout}) and
         * {@code done}/{@code error}. See {@link ChunkSources#withTimeouts}.
         */
        public Builder timeouts(Timeouts limits) {
            this.timeouts = Objects.requireNonNull(limits, "timeouts");
            return this;
        }

        /** The clock and scheduler for timeouts; the system clock by default (tests inject virtual time). */
        public Builder timeSource(TimeSource time) {
            this.timeSource = Objects.requireNonNull(time, "timeSource");
            return this;
        }

        /**
         * Builds the stream, registers it with the manager, if any, and starts the read-ahead, if any.
         *
         * @throws IllegalStateException if the manager already has a stream with this id (the source
         *                               is then closed), or build() was called before
         */
        public ChatStream build() {
            if (built) {
                throw new IllegalStateException("build() was already called");
            }
            built = true;
            String streamId = id != null ? id : newId();
            Executor tasks = executor != null ? executor : virtualThreads(streamId);
            ChunkSource effective = ChunkSources.withTimeouts(source, timeouts, timeSource);
            ReadAheadFeed readAhead = backpressure == Backpressure.BLOCK
                    ? null
                    : new ReadAheadFeed(
                            effective,
                            backpressure,
                            new QueueLimits(bufferCapacity, bufferBytes, dropRecoveryChars, byteMeter));
            ChunkFeed feed = readAhead != null ? readAhead : ChunkFeed.direct(effective);
            ChatStream stream = new ChatStream(streamId, backpressure, feed, manager, tasks, firstSeq);
            if (manager != null) {
                try {
                    manager.register(stream);
                } catch (RuntimeException e) {
                    feed.cancel();
                    throw e;
                }
            }
            if (readAhead != null) {
                try {
                    readAhead.start(tasks);
                } catch (RuntimeException e) {
                    stream.close();
                    throw e;
                }
            }
            return stream;
        }

        private static Executor virtualThreads(String streamId) {
            return task -> Thread.ofVirtual().name("aistream-" + streamId).start(task);
        }
    }
}
