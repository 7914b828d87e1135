package io.aistream.server.resume;

import io.aistream.chunk.ChunkFootprint;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * A {@link StreamBuffer} in memory: a growable ring of chunks (it starts small and doubles, so a short
 * stream costs little) under one lock; followers wait on one condition.
 *
 * <p>Its size changes are reported to {@code onBytesChanged} (outside the lock), and before each append
 * it asks {@code mustNotGrow} (the memory budget) whether it may grow: if not, it evicts its own oldest
 * chunks to make room for the new one.
 */
final class InMemoryStreamBuffer implements StreamBuffer {
    private static final int INITIAL_CAPACITY = 16;

    private final String streamId;
    private final String owner;
    private final int maxChunks;
    private final long maxBytes;
    private final Runnable onFinished;
    private final LongConsumer onBytesChanged;
    private final LongPredicate mustNotGrow;
    private final Runnable onDiscarded;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private StreamChunk[] ring = new StreamChunk[INITIAL_CAPACITY];
    private int head;
    private int size;
    /** Seq of ring[head]. */
    private long oldestSeq;

    private long bytes;
    private boolean finished;
    private boolean discarded;

    InMemoryStreamBuffer(
            String streamId,
            String owner,
            int maxChunks,
            long maxBytes,
            Runnable onFinished,
            LongConsumer onBytesChanged,
            LongPredicate mustNotGrow,
            Runnable onDiscarded) {
        this.streamId = streamId;
        this.owner = owner;
        this.maxChunks = maxChunks;
        this.maxBytes = maxBytes;
        this.onFinished = onFinished;
        this.onBytesChanged = onBytesChanged;
        this.mustNotGrow = mustNotGrow;
        this.onDiscarded = onDiscarded;
    }

    @Override
    public String streamId() {
        return streamId;
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public void append(StreamChunk chunk) {
        long chunkBytes = ChunkFootprint.bytes(chunk);
        long delta;
        boolean done = chunk instanceof DoneChunk;
        // asked before the lock: making room may expire other buffers, which takes their locks
        boolean squeeze = mustNotGrow.test(chunkBytes);
        lock.lock();
        try {
            if (finished || discarded) {
                throw new IllegalStateException("stream " + streamId + " is finished; nothing more can be appended");
            }
            long expected = oldestSeq + size;
            if (chunk.seq() != expected) {
                throw new IllegalArgumentException(
                        "stream " + streamId + " expects seq " + expected + ", got " + chunk.seq());
            }
            long before = bytes;
            long freed = 0;
            while (size > 0
                    && (size >= maxChunks || bytes + chunkBytes > maxBytes || (squeeze && freed < chunkBytes))) {
                freed += evictOldest();
            }
            if (size == ring.length) {
                grow();
            }
            ring[(head + size) & (ring.length - 1)] = chunk;
            size++;
            bytes += chunkBytes;
            delta = bytes - before;
            finished = done;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onBytesChanged.accept(delta);
        if (done) {
            onFinished.run();
        }
    }

    private long evictOldest() {
        StreamChunk oldest = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        oldestSeq++;
        long freed = ChunkFootprint.bytes(oldest);
        bytes -= freed;
        return freed;
    }

    private void grow() {
        StreamChunk[] bigger = new StreamChunk[ring.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }

    @Override
    public boolean finished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long lastSeq() {
        lock.lock();
        try {
            return oldestSeq + size - 1;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long oldestSeq() {
        lock.lock();
        try {
            return oldestSeq;
        } finally {
            lock.unlock();
        }
    }

    /** The estimated bytes it keeps now. */
    long retainedBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops every kept chunk (expiry, eviction, the store's close); followers still reading end as if
     * closed. Reports the bytes freed and, the first time, that the buffer is gone.
     */
    void discard() {
        long freed;
        boolean first;
        lock.lock();
        try {
            freed = bytes;
            first = !discarded;
            discarded = true;
            ring = new StreamChunk[1];
            head = 0;
            oldestSeq += size;
            size = 0;
            bytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onBytesChanged.accept(-freed);
        if (first) {
            onDiscarded.run();
        }
    }

    @Override
    public Follower follow(long afterSeq) {
        if (afterSeq < -1) {
            throw new IllegalArgumentException("afterSeq must be at least -1: " + afterSeq);
        }
        return new InMemoryFollower(afterSeq + 1);
    }

    @Override
    public String toString() {
        return "InMemoryStreamBuffer[" + streamId + "]";
    }

    private final class InMemoryFollower implements Follower {
        private long nextSeq;
        private boolean closed;
        private boolean ended;

        InMemoryFollower(long nextSeq) {
            this.nextSeq = nextSeq;
        }

        @Override
        public Optional<StreamChunk> next() throws InterruptedException {
            lock.lock();
            try {
                while (true) {
                    if (closed || ended) {
                        return Optional.empty();
                    }
                    if (discarded) {
                        ended = true;
                        return Optional.empty();
                    }
                    if (nextSeq < oldestSeq) {
                        throw new ChunksEvictedException(streamId, nextSeq, oldestSeq);
                    }
                    long last = oldestSeq + size - 1;
                    if (nextSeq <= last) {
                        StreamChunk chunk = ring[(head + (int) (nextSeq - oldestSeq)) & (ring.length - 1)];
                        nextSeq++;
                        ended = chunk instanceof DoneChunk;
                        return Optional.of(chunk);
                    }
                    if (finished) {
                        ended = true;
                        return Optional.empty();
                    }
                    changed.await();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
