package io.aistream.stream;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A wait on a {@link TimeSource} that another thread can cut short: the tool for pacing, backoff and
 * stalls inside a {@link ChunkSource}, where {@code cancel()} must wake a blocked {@code next()} at
 * once. With a {@link VirtualTimeSource} the wait ends exactly when the test advances the clock.
 *
 * <p>Thread-safe. Once cancelled it stays cancelled: every later wait returns {@code false} at once.
 */
public final class CancellableWait {
    private final TimeSource time;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean cancelled;
    private long generation;

    /** A wait measured on {@code time}. */
    public CancellableWait(TimeSource time) {
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * Blocks for {@code delay} on the time source, or until {@link #cancel()}.
     *
     * @return true if the full delay passed, false if cancelled (before or during the wait)
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean sleep(Duration delay) throws InterruptedException {
        if (delay.isNegative() || delay.isZero()) {
            return !isCancelled();
        }
        lock.lock();
        try {
            if (cancelled) {
                return false;
            }
            long mine = ++generation;
            boolean[] due = new boolean[1];
            TimeSource.Cancellable task = time.schedule(delay, () -> {
                lock.lock();
                try {
                    if (generation == mine) {
                        due[0] = true;
                        wake.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            });
            try {
                while (!due[0] && !cancelled) {
                    wake.await();
                }
            } finally {
                task.cancel();
            }
            return !cancelled;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until {@link #cancel()} is called. */
    public void awaitCancel() throws InterruptedException {
        lock.lock();
        try {
            while (!cancelled) {
                wake.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every current and future wait. Idempotent, any thread. */
    public void cancel() {
        lock.lock();
        try {
            cancelled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #cancel()} has been called. */
    public boolean isCancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }
}
