package io.aistream.server;

import static org.awaitility.Awaitility.await;

import io.aistream.chunk.StreamChunk;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.SourceReadiness;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A source with {@link SourceReadiness} that the test feeds by hand: {@link #arrive} queues chunks and runs the
 * armed readiness callback (on the test's thread, like an I/O loop that read bytes). It records the thread of
 * every {@code next()} so a test can tell which ran on the request's thread. {@code next()} blocks until a
 * chunk, the end or a cancel, so the blocking way works too. Thread-safe.
 */
final class ReadySource implements ChunkSource {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<StreamChunk> queue = new ArrayDeque<>();
    private final List<Thread> readers = new ArrayList<>();
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private boolean ended;
    private int blockedReaders;
    private boolean needsThread;
    private Error failure;
    private Runnable armed;
    private volatile long cancelledAtNanos;

    private final SourceReadiness readiness = new SourceReadiness() {
        @Override
        public State poll() {
            lock.lock();
            try {
                if (needsThread) {
                    return State.NEEDS_THREAD;
                }
                return readyLocked() ? State.READY : State.WAIT;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onReady(Runnable callback) {
            lock.lock();
            try {
                if (!readyLocked() && !needsThread) {
                    armed = callback;
                    changed.signalAll();
                    return;
                }
                armed = null;
            } finally {
                lock.unlock();
            }
            callback.run();
        }

        @Override
        public void release() {
            lock.lock();
            try {
                armed = null;
            } finally {
                lock.unlock();
            }
            released.countDown();
        }
    };

    private boolean readyLocked() {
        return !queue.isEmpty() || ended || cancelled.getCount() == 0 || failure != null;
    }

    /** Queues chunks and wakes the consumer. */
    ReadySource arrive(StreamChunk... chunks) {
        return change(() -> queue.addAll(Arrays.asList(chunks)));
    }

    /** The upstream ended (the consumer then sees the end). */
    void end() {
        change(() -> ended = true);
    }

    /** The next {@code next()} throws {@code error}. */
    void breakWith(Error error) {
        change(() -> failure = error);
    }

    /** From now on {@code poll()} answers {@code NEEDS_THREAD}. */
    void needThread() {
        change(() -> needsThread = true);
    }

    private ReadySource change(Runnable change) {
        Runnable callback;
        lock.lock();
        try {
            change.run();
            changed.signalAll();
            callback = armed;
            armed = null;
        } finally {
            lock.unlock();
        }
        if (callback != null) {
            callback.run();
        }
        return this;
    }

    @Override
    public Optional<StreamChunk> next() throws InterruptedException {
        lock.lock();
        try {
            readers.add(Thread.currentThread());
            while (queue.isEmpty() && !ended && cancelled.getCount() > 0 && failure == null) {
                blockedReaders++;
                changed.signalAll();
                try {
                    changed.await();
                } finally {
                    blockedReaders--;
                }
            }
            if (failure != null) {
                Error e = failure;
                failure = null;
                throw e;
            }
            if (cancelled.getCount() == 0) {
                return Optional.empty();
            }
            return Optional.ofNullable(queue.poll());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel() {
        cancelledAtNanos = System.nanoTime();
        change(cancelled::countDown);
    }

    @Override
    public Optional<SourceReadiness> readiness() {
        return Optional.of(readiness);
    }

    /** The threads that called {@code next()}, in order. */
    List<Thread> readers() {
        lock.lock();
        try {
            return List.copyOf(readers);
        } finally {
            lock.unlock();
        }
    }

    /** How many chunks wait for the consumer. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the cancel; the {@link System#nanoTime()} it happened at. */
    long awaitCancel() throws InterruptedException {
        if (!cancelled.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the source was not cancelled");
        }
        return cancelledAtNanos;
    }

    boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /**
     * Waits until a consumer armed the readiness callback and the request's thread (the first that called
     * {@code next()}) is parked: the stream waits on the loop for bytes, and what arrives now is pulled by the
     * thread that signals.
     */
    ReadySource awaitArmed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Thread request;
        lock.lock();
        try {
            while (armed == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no consumer armed the readiness");
                }
                changed.awaitNanos(left);
            }
            request = readers.getFirst();
        } finally {
            lock.unlock();
        }
        // it armed, then leaves the drain and parks until the relay ends
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(1))
                .until(() -> request.getState() == Thread.State.WAITING);
        return this;
    }

    /** Waits until a {@code next()} blocks for want of a chunk: the blocking way is in use. */
    ReadySource awaitBlockedReader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        lock.lock();
        try {
            while (blockedReaders == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no reader blocked in next()");
                }
                changed.awaitNanos(left);
            }
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the consumer released the readiness. */
    void awaitRelease() throws InterruptedException {
        if (!released.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the readiness was not released");
        }
    }
}
