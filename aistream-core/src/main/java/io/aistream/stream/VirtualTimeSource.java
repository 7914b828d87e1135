package io.aistream.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link TimeSource} for tests: its clock stands still until {@link #advance(Duration)} moves it,
 * and scheduled tasks run, in time order, on the thread that advances the clock.
 *
 * <p>Thread-safe: any thread may schedule; advancing is serialized. A task scheduled by another task
 * runs within the same {@code advance} if it falls due before the new time.
 */
public final class VirtualTimeSource implements TimeSource {

    private final Object lock = new Object();
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

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        synchronized (lock) {
            Task t = new Task(now + Math.max(0, delay.toNanos()), order++, task);
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
     * with the clock set to its due time.
     */
    public void advance(Duration delta) {
        long target;
        synchronized (lock) {
            target = now + delta.toNanos();
        }
        while (true) {
            Task due;
            synchronized (lock) {
                Task head = queue.peek();
                if (head == null || head.at > target) {
                    now = Math.max(now, target);
                    return;
                }
                due = queue.poll();
                now = Math.max(now, due.at);
            }
            due.runnable.run();
        }
    }

    /** Runs the tasks due now without moving the clock. */
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

    private record Task(long at, long order, Runnable runnable) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
