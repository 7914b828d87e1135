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

    /**
     * Monotonic nanoseconds, comparable only to other values from this source.
     *
     * @return the current reading
     */
    long nanoTime();

    /**
     * Runs {@code task} once, {@code delay} from now (a negative delay counts as zero). Tasks must
     * be short and must not block: they share the source's scheduler thread. A task may schedule
     * further tasks. Callers may hold their own locks while scheduling or cancelling; the source
     * never runs a task while holding a lock of its own.
     *
     * @param delay how long from now; durations beyond the range of a {@code long} of nanoseconds
     *              mean "practically never"
     * @param task  what to run
     * @return a handle that cancels the task if it has not started; safe from any thread
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * The real clock, with tasks run on a shared daemon scheduler thread.
     *
     * @return the process-wide system time source
     */
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
