package io.aistream.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link TimeSource} for tests: its clock stands still until {@link #advance(Duration)} moves it,
 * and scheduled tasks run, in time order (ties in scheduling order), on the thread that advances
 * the clock, each with the clock set to its due time.
 *
 * <p><b>Threading.</b> Thread-safe: any thread may read the clock, schedule and cancel at any time.
 * Advancing is serialized: a second thread calling {@code advance} waits until the first has run
 * its tasks, so tasks never run concurrently with each other. A task may schedule further tasks;
 * one that falls due no later than the target time runs within the same {@code advance}. A task
 * may also call {@code advance} itself (the lock is reentrant), though tests rarely need that.
 *
 * <p>If a task throws, the remaining due tasks still run and the clock still reaches its target;
 * the first exception is then rethrown from {@code advance}, later ones added as suppressed.
 *
 * <p>Typical use: start the consumer on another thread, wait (e.g. with Awaitility) until
 * {@link #pendingTasks()} shows the timer it is waiting for, then advance.
 */
public final class VirtualTimeSource implements TimeSource {

    private final Object lock = new Object();
    private final ReentrantLock advancing = new ReentrantLock();
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long order;

    /** A virtual clock that starts at 0 ns. */
    public VirtualTimeSource() {
        this(0);
    }

    /** A virtual clock that starts at the given nanosecond reading. */
    public VirtualTimeSource(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        synchronized (lock) {
            return now;
        }
    }

    /**
     * Schedules {@code task} at now + {@code delay} (a negative delay counts as zero; a delay too
     * large for a {@code long} of nanoseconds means "never within reach").
     */
    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        synchronized (lock) {
            Task t = new Task(TimeMath.saturatedAdd(now, TimeMath.nonNegativeNanos(delay)), order++, task);
            queue.add(t);
            return () -> {
                synchronized (lock) {
                    queue.remove(t);
                }
            };
        }
    }

    /**
     * Moves the clock forward by {@code delta}, running every task that falls due on the way, each
     * with the clock set to its due time; afterwards the clock reads (previous reading + delta).
     *
     * @throws IllegalArgumentException if {@code delta} is negative
     * @throws RuntimeException         the first exception a task threw, if any did
     */
    public void advance(Duration delta) {
        Objects.requireNonNull(delta, "delta");
        if (delta.isNegative()) {
            throw new IllegalArgumentException("cannot move the clock backwards: " + delta);
        }
        advancing.lock();
        try {
            long target;
            synchronized (lock) {
                target = TimeMath.saturatedAdd(now, TimeMath.nonNegativeNanos(delta));
            }
            RuntimeException failure = null;
            while (true) {
                Task due;
                synchronized (lock) {
                    Task head = queue.peek();
                    if (head == null || head.at > target) {
                        now = Math.max(now, target);
                        break;
                    }
                    due = queue.poll();
                    now = Math.max(now, due.at);
                }
                try {
                    due.runnable.run();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            advancing.unlock();
        }
    }

    /** Runs the tasks due now (including ones they schedule with zero delay) without moving the clock. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** How many tasks are scheduled and not yet run or cancelled. */
    public int pendingTasks() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** The due times (ns) of pending tasks, earliest first; for assertions. */
    public List<Long> pendingDueTimes() {
        synchronized (lock) {
            List<Task> copy = new ArrayList<>(queue);
            copy.sort(null);
            List<Long> times = new ArrayList<>(copy.size());
            for (Task t : copy) {
                times.add(t.at);
            }
            return times;
        }
    }

    // Identity equality: cancel must remove exactly this task, never an equal-looking one.
    private static final class Task implements Comparable<Task> {
        final long at;
        final long order;
        final Runnable runnable;

        Task(long at, long order, Runnable runnable) {
            this.at = at;
            this.order = order;
            this.runnable = runnable;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
