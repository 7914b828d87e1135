package io.aistream.server.cluster;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * How far the streams this node produces have got: their producers report each stored chunk here, so a
 * follower on the producing node (the common case: the client that started the stream) is woken at once
 * by the producer itself, with no round trip through the node's {@link StreamWatcher}. Followers of other
 * nodes' streams use the watcher. Thread-safe.
 */
final class LocalProgress {
    private final ConcurrentHashMap<String, Entry> streams = new ConcurrentHashMap<>();

    /** One produced stream: the last stored seq, and its waiters. */
    static final class Entry {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private long last;
        private boolean over;

        Entry(long last) {
            this.last = last;
        }

        void stored(long seq) {
            lock.lock();
            try {
                last = Math.max(last, seq);
                changed.signalAll();
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
