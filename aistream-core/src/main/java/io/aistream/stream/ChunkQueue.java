package io.aistream.stream;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ChunkFootprint;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The bounded queue between a read-ahead task (one producer) and a stream's consumer; each
 * {@link Backpressure} strategy but {@code BLOCK} is one subclass deciding what happens to a chunk
 * when the consumer is behind.
 *
 * <p>At most {@code capacity} chunks holding at most {@code maxBytes} bytes
 * ({@link ChunkFootprint} estimates) wait in the queue; a single chunk larger than {@code maxBytes}
 * still gets in when nothing else waits, so that no chunk can block a stream forever. Terminal chunks
 * ({@code done}, and the {@code error} a failing queue adds) wait beside it, so ending a full queue
 * never needs room.
 *
 * <p>Everything the queue retains (waiting chunks, merged text, terminal chunks, a subclass's extra
 * state) is reported to the {@link ByteMeter}, at most once per chunk and always under the lock;
 * {@link #close()} releases whatever is still held, and completing releases extra state, so the
 * reported sum is 0 once the consumer took the last chunk or the queue was closed.
 */
abstract sealed class ChunkQueue permits BufferQueue, DropQueue, CoalesceQueue {
    protected final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    protected final ArrayDeque<StreamChunk> items = new ArrayDeque<>();
    protected final int capacity;
    protected final long maxBytes;
    private final ByteMeter meter;
    private final ArrayDeque<StreamChunk> terminal = new ArrayDeque<>(2);
    private boolean completed;
    private boolean closed;
    private int highWaterMark;
    /** Bytes of the waiting chunks (merged text included, terminal chunks not): what maxBytes bounds. */
    private long queuedBytes;
    /** Everything reported to the meter and not yet released. */
    private long held;
    /** A change of the retained bytes not yet reported: folded into the next report (one call per chunk). */
    private long unreported;
    /** Fills the done(error) chunks the queue makes up; set once before the read-ahead starts. */
    private UnaryOperator<DoneChunk> doneFiller = UnaryOperator.identity();

    protected ChunkQueue(QueueLimits limits) {
        this.capacity = limits.capacity();
        this.maxBytes = limits.maxBytes();
        this.meter = limits.meter();
    }

    static ChunkQueue create(Backpressure strategy, QueueLimits limits) {
        return switch (strategy) {
            case BUFFER -> new BufferQueue(limits);
            case DROP -> new DropQueue(limits);
            case COALESCE -> new CoalesceQueue(limits);
            case BLOCK -> throw new IllegalArgumentException("BLOCK reads nothing ahead and has no queue");
        };
    }

    /**
     * What fills a done chunk the queue makes up (on failure, on overflow) with the source's usage,
     * provider and model: {@link ChunkSource#fillDone}. Call before the producer starts.
     */
    final void fillMadeUpDonesWith(UnaryOperator<DoneChunk> filler) {
        this.doneFiller = filler;
    }

    /** A done(error) the queue makes up, filled by the source. Caller holds the lock. */
    protected final DoneChunk madeUpErrorDone() {
        return doneFiller.apply(DoneChunk.of(FinishReason.ERROR));
    }

    /**
     * Producer: hands over the next chunk, possibly waiting for room.
     *
     * @return false if the producer must stop: the queue was closed or ended (e.g. by overflow)
     */
    final boolean put(StreamChunk chunk) throws InterruptedException {
        lock.lock();
        try {
            if (closed || completed) {
                return false;
            }
            if (chunk instanceof DoneChunk done) {
                complete(finalDone(done));
                return true;
            }
            return offer(chunk);
        } finally {
            lock.unlock();
        }
    }

    /** Producer: ends the queue with an error and done(error) after what is queued. */
    final void fail(ChunkError error) {
        lock.lock();
        try {
            if (!closed && !completed) {
                complete(ErrorChunk.of(error), madeUpErrorDone());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Producer: ends the queue without a terminal chunk; take returns null after what is queued. */
    final void finish() {
        lock.lock();
        try {
            if (!closed && !completed) {
                complete();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Consumer: the next chunk, waiting for one; null once closed or after the terminal chunks. */
    final StreamChunk take() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                StreamChunk next = poll();
                if (next != null) {
                    long bytes = ChunkFootprint.bytes(next);
                    queuedBytes -= bytes;
                    report(-bytes);
                    notFull.signal();
                    return next;
                }
                next = terminal.poll();
                if (next != null) {
                    report(-ChunkFootprint.bytes(next));
                    return next;
                }
                if (completed) {
                    return null;
                }
                notEmpty.await();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Either side: discards everything queued, releases all it held (one meter call) and wakes both
     * sides; take then returns null.
     */
    final void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            items.clear();
            terminal.clear();
            discard();
            queuedBytes = 0;
            unreported = 0; // never reported, so nothing to take back
            if (held != 0) {
                meter.add(-held);
                held = 0;
            }
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether nothing waits for the consumer and more may come: the queue is open and not ended. */
    final boolean isIdle() {
        lock.lock();
        try {
            return !closed && !completed && size() == 0;
        } finally {
            lock.unlock();
        }
    }

    /** The most chunks ever waiting at once (terminal chunks not counted). */
    final int highWaterMark() {
        lock.lock();
        try {
            return highWaterMark;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the producer is waiting for room. */
    final boolean producerWaiting() {
        lock.lock();
        try {
            return lock.hasWaiters(notFull);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: queue (or merge, or drop) a non-terminal chunk; false to stop the producer. */
    protected abstract boolean offer(StreamChunk chunk) throws InterruptedException;

    /** Under the lock: the done chunk to deliver for the source's done. */
    protected DoneChunk finalDone(DoneChunk done) {
        return done;
    }

    /**
     * Under the lock, when the queue ends (done, failure, overflow): release state only the
     * producer needed, through {@link #retain(long)}; waiting chunks stay.
     */
    protected void completing() {}

    /** Under the lock, on close: forget everything kept besides the items (accounting is reset). */
    protected void discard() {}

    /** Under the lock: the number of chunks waiting. */
    protected int size() {
        return items.size();
    }

    /** Under the lock: the bytes of the waiting chunks. */
    protected final long queuedBytes() {
        return queuedBytes;
    }

    /** Under the lock: removes the oldest waiting chunk, or null. */
    protected StreamChunk poll() {
        return items.poll();
    }

    /**
     * Under the lock: whether a chunk of {@code bytes} fits: fewer than capacity chunks wait and either
     * none waits (so a chunk larger than the whole bound still gets through) or the bytes fit too.
     */
    protected final boolean hasRoom(long bytes) {
        int waiting = size();
        return waiting < capacity && (waiting == 0 || queuedBytes + bytes <= maxBytes);
    }

    /** Under the lock: appends a chunk of {@code bytes}; the caller made sure there is room. */
    protected final void enqueue(StreamChunk chunk, long bytes) {
        items.add(chunk);
        addQueued(bytes);
        grew();
    }

    /** Under the lock: waiting chunks grew by {@code bytes} (a chunk queued, or text merged). */
    protected final void addQueued(long bytes) {
        queuedBytes += bytes;
        report(bytes);
    }

    /** Under the lock: the queue's extra state grew (or shrank) by {@code bytes}; reported with the next report. */
    protected final void retain(long bytes) {
        unreported += bytes;
    }

    /** Under the lock: reports {@code bytes} plus any pending change to the meter, in one call. */
    protected final void report(long bytes) {
        long delta = unreported + bytes;
        unreported = 0;
        if (delta != 0) {
            held += delta;
            meter.add(delta);
        }
    }

    /** Under the lock: records the size after growing and wakes the consumer. */
    protected final void grew() {
        highWaterMark = Math.max(highWaterMark, size());
        notEmpty.signal();
    }

    /** Under the lock: waits until a chunk of {@code bytes} fits; false if the queue was closed meanwhile. */
    protected final boolean awaitRoom(long bytes) throws InterruptedException {
        while (!closed && !hasRoom(bytes)) {
            notFull.await();
        }
        return !closed;
    }

    /** Under the lock: ends the queue with these chunks after what is queued. */
    protected final void complete(StreamChunk... last) {
        completing();
        long bytes = 0;
        for (StreamChunk c : last) {
            terminal.add(c);
            bytes += ChunkFootprint.bytes(c);
        }
        report(bytes);
        completed = true;
        notEmpty.signalAll();
    }
}
