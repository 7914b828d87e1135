package io.aistream.stream;

import java.time.Duration;

/**
 * Injected time: a monotonic clock and a scheduler. Production code uses {@link #system()};
 * tests use {@link VirtualTimeSource}, whose clock only moves when the test advances it, so timing
 * behaviour is exact and instant.
 *
 * <p>Implementations are thread-safe.
 */
public interface TimeSource {

    /** Monotonic nanoseconds, comparable only to other values from this source. */
    long nanoTime();

    /**
     * Runs {@code task} once, {@code delay} from now. Tasks must be short and must not block.
     *
     * @return a handle that cancels the task if it has not started
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** The real clock, with tasks run on a shared daemon scheduler thread. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }

    /** A handle to a scheduled task. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not run yet. Idempotent. */
        void cancel();
    }
}
