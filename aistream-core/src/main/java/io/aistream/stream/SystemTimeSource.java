package io.aistream.stream;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real clock ({@link System#nanoTime()}); tasks run on one shared daemon thread, so they must
 * be short and must not block. A task that throws is reported to that thread's uncaught-exception
 * handler and does not affect other tasks. Cancelled tasks are removed from the queue at once, so
 * a long timeout that is cancelled early does not hold memory.
 */
final class SystemTimeSource implements TimeSource {
    static final SystemTimeSource INSTANCE = new SystemTimeSource();

    private final ScheduledThreadPoolExecutor scheduler;

    private SystemTimeSource() {
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "aistream-timer");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // The executor would park the exception in a future nobody reads; make it visible.
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        };
        ScheduledFuture<?> future = scheduler.schedule(guarded, TimeMath.nonNegativeNanos(delay), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
