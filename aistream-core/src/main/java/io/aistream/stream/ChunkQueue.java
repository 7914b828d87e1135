package io.aistream.stream;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between a read-ahead task (one producer) and a stream's consumer; each
 * {@link Backpressure} strategy but {@code BLOCK} is one subclass deciding what happens to a chunk
 * when the consumer is behind.
 *
 * <p>At most {@code capacity} chunks wait in the queue; terminal chunks ({@code done}, and the
 * {@code error} a failing queue adds) wait beside it, so ending a full queue never needs room.
 */
abstract sealed class ChunkQueue permits BufferQueue, DropQueue, CoalesceQueue {
    protected final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    protected final ArrayDeque<StreamChunk> items = new ArrayDeque<>();
    protected final int capacity;
    private final ArrayDeque<StreamChunk> terminal = new ArrayDeque<>(2);
    private boolean completed;
    private boolean closed;
    private int highWaterMark;

    protected ChunkQueue(int capacity) {
        this.capacity = capacity;
    }

    static ChunkQueue create(Backpressure strategy, int capacity) {
        return switch (strategy) {
            case BUFFER -> new BufferQueue(capacity);
            case DROP -> new DropQueue(capacity);
            case COALESCE -> new CoalesceQueue(capacity);
            case BLOCK -> throw new IllegalArgumentException("BLOCK reads nothing ahead and has no queue");
        };
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
                complete(ErrorChunk.of(error), DoneChunk.of(FinishReason.ERROR));
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
                    notFull.signal();
                    return next;
                }
                next = terminal.poll();
                if (next != null || completed) {
                    return next;
                }
                notEmpty.await();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Either side: discards everything queued and wakes both sides; take then returns null. */
    final void close() {
        lock.lock();
        try {
            closed = true;
            items.clear();
            terminal.clear();
            notEmpty.signalAll();
            notFull.signalAll();
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

    /** Under the lock: the number of chunks waiting. */
    protected int size() {
        return items.size();
    }

    /** Under the lock: removes the oldest waiting chunk, or null. */
    protected StreamChunk poll() {
        return items.poll();
    }

    /** Under the lock: appends a chunk; the caller made sure there is room. */
    protected final void enqueue(StreamChunk chunk) {
        items.add(chunk);
        grew();
    }

    /** Under the lock: records the size after growing and wakes the consumer. */
    protected final void grew() {
        highWaterMark = Math.max(highWaterMark, size());
        notEmpty.signal();
    }

    /** Under the lock: waits until there is room; false if the queue was closed meanwhile. */
    protected final boolean awaitRoom() throws InterruptedException {
        while (!closed && size() >= capacity) {
            notFull.await();
        }
        return !closed;
    }

    /** Under the lock: ends the queue with these chunks after what is queued. */
    protected final void complete(StreamChunk... last) {
        for (StreamChunk c : last) {
            terminal.add(c);
        }
        completed = true;
        notEmpty.signalAll();
    }
}
