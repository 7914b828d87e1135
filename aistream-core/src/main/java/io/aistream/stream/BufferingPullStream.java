package io.aistream.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link StreamOperators#buffer}. A reader virtual thread pulls the upstream into {@code current};
 * a batch is sealed into {@code ready} by the reader (size reached, end, failure) or by the
 * scheduled maxWait task. The consumer waits on {@code changed} for a sealed batch or the end.
 */
final class BufferingPullStream<T> implements PullStream<List<T>> {
    private final PullStream<T> in;
    private final int size;
    private final Duration maxWait;
    private final TimeSource time;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<List<T>> ready = new ArrayDeque<>();
    private ArrayList<T> current = new ArrayList<>();
    private long batchId;
    private TimeSource.Cancellable maxWaitTask;
    private boolean started;
    private boolean upstreamEnded;
    private boolean closed;
    private Throwable failure;

    BufferingPullStream(PullStream<T> in, int size, Duration maxWait, TimeSource time) {
        this.in = in;
        this.size = size;
        this.maxWait = maxWait;
        this.time = time;
    }

    @Override
    public Optional<List<T>> next() {
        lock.lock();
        try {
            if (!started && !closed) {
                started = true;
                Thread.ofVirtual().name("aistream-buffer-reader").start(this::readLoop);
            }
            while (true) {
                if (closed) {
                    return Optional.empty();
                }
                List<T> batch = ready.poll();
                if (batch != null) {
                    changed.signalAll(); // the reader may be waiting for room
                    return Optional.of(batch);
                }
                if (failure != null) {
                    throw OperatorSupport.rethrow(failure);
                }
                if (upstreamEnded) {
                    return Optional.empty();
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            throw OperatorSupport.interrupted(e, "buffer");
        } finally {
            lock.unlock();
        }
    }

    private void readLoop() {
        while (true) {
            lock.lock();
            try {
                // Read on only while no sealed batch waits: a slow consumer holds the upstream back.
                while (!closed && !ready.isEmpty()) {
                    changed.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            Optional<T> item;
            try {
                item = in.next();
            } catch (Throwable t) {
                lock.lock();
                try {
                    if (!closed) {
                        seal();
                        failure = t;
                        changed.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                return;
            }
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                if (item.isEmpty()) {
                    seal();
                    upstreamEnded = true;
                    changed.signalAll();
                    return;
                }
                current.add(item.get());
                if (current.size() >= size) {
                    seal();
                } else if (current.size() == 1) {
                    long id = ++batchId;
                    maxWaitTask = time.schedule(maxWait, () -> onMaxWait(id));
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void onMaxWait(long id) {
        lock.lock();
        try {
            if (!closed && id == batchId) {
                seal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves the current batch, if any, to {@code ready}. Caller holds the lock. */
    private void seal() {
        if (current.isEmpty()) {
            return;
        }
        ready.add(Collections.unmodifiableList(current));
        current = new ArrayList<>(Math.min(size, 16));
        batchId++;
        cancelMaxWait();
        changed.signalAll();
    }

    private void cancelMaxWait() {
        if (maxWaitTask != null) {
            maxWaitTask.cancel();
            maxWaitTask = null;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            cancelMaxWait();
            ready.clear();
            current = new ArrayList<>();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        in.close();
    }
}
