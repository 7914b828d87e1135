package io.aistream.server.cluster;

import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * How far the streams this node produces have got: their producers report each stored chunk here, so a
 * follower on the producing node (the common case: the client that started the stream) is woken at once
 * by the producer itself, with no round trip through the node's {@link StreamWatcher}, and reads the
 * newest chunks from a small ring kept here ({@value #RING} chunks, at most {@value #RING_BYTES} bytes of
 * text per stream) instead of from Redis. Only chunks Redis has stored enter the ring, so a local follower
 * never sees a chunk a resume elsewhere could not. Followers of other nodes' streams use the watcher and
 * Redis. Thread-safe.
 */
final class LocalProgress {
    /** Chunks kept per stream for local followers. */
    static final int RING = 64;

    /** Bytes (chunk JSON length, estimated) kept per stream for local followers. */
    static final long RING_BYTES = 32 * 1024;

    private final ConcurrentHashMap<String, Entry> streams = new ConcurrentHashMap<>();

    /** One produced stream: the last stored seq, and its waiters. */
    static final class Entry {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final StreamChunk[] ring = new StreamChunk[RING];
        private final int[] sizes = new int[RING];
        private long last;
        /** The seq of the oldest chunk in the ring; last + 1 when it is empty. */
        private long oldest;

        private long bytes;
        private boolean over;

        Entry(long last) {
            this.last = last;
            this.oldest = last + 1;
        }

        /**
         * A chunk Redis has stored (its seq one past the last); {@code size} is its stored size, and
         * {@code oldestKept} the oldest seq Redis still keeps (the ring never keeps what the store evicted).
         */
        void stored(StreamChunk chunk, int size, long oldestKept) {
            lock.lock();
            try {
                long seq = chunk.seq();
                if (seq != last + 1) { // not contiguous: start the ring again from this chunk
                    java.util.Arrays.fill(ring, null);
                    oldest = seq;
                    bytes = 0;
                }
                while (oldest <= last && (seq - oldest >= RING || bytes + size > RING_BYTES || oldest < oldestKept)) {
                    int i = (int) (oldest % RING);
                    bytes -= sizes[i];
                    ring[i] = null;
                    oldest++;
                }
                int i = (int) (seq % RING);
                ring[i] = chunk;
                sizes[i] = size;
                bytes += size;
                last = seq;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Copies the chunks after {@code afterSeq} (at most {@code max}) into {@code into}.
         *
         * @return how many were copied; -1 when the ring no longer has the one after {@code afterSeq}
         */
        int copyAfter(long afterSeq, Collection<StreamChunk> into, int max) {
            lock.lock();
            try {
                if (afterSeq + 1 < oldest) {
                    return -1;
                }
                int n = 0;
                for (long seq = afterSeq + 1; seq <= last && n < max; seq++, n++) {
                    into.add(ring[(int) (seq % RING)]);
                }
                return n;
            } finally {
                lock.unlock();
            }
        }

        void end() {
            lock.lock();
            try {
                over = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void poke() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits until a seq past {@code afterSeq} is stored, the producer is gone, {@code stop} says so or
         * {@code timeout} passes.
         *
         * @return true if there is more past {@code afterSeq} or the producer is gone (then read or ask the watcher)
         */
        boolean await(long afterSeq, Duration timeout, BooleanSupplier stop) throws InterruptedException {
            long left = timeout.toNanos();
            lock.lock();
            try {
                while (last <= afterSeq && !over && !stop.getAsBoolean()) {
                    if (left <= 0) {
                        return false;
                    }
                    left = changed.awaitNanos(left);
                }
                return last > afterSeq || over;
            } finally {
                lock.unlock();
            }
        }

        boolean over() {
            lock.lock();
            try {
                return over;
            } finally {
                lock.unlock();
            }
        }
    }

    /** A producer on this node starts (or takes over) the stream, whose last stored seq is {@code last}. */
    Entry produce(String streamId, long last) {
        Entry e = new Entry(last);
        Entry previous = streams.put(streamId, e);
        if (previous != null) {
            previous.end();
        }
        return e;
    }

    /** The producer of the stream is done here (finished, fenced or failed). */
    void ended(String streamId, Entry e) {
        if (streams.remove(streamId, e)) {
            e.end();
        }
    }

    /** The local producer's progress, if the stream is produced on this node. */
    Entry of(String streamId) {
        return streams.get(streamId);
    }
}
