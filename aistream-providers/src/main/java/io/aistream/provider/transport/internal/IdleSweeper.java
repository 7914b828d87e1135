package io.aistream.provider.transport.internal;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the periodic expiry of idle pooled connections, so that connections nobody uses again are
 * closed on time instead of holding a socket (and, often, a half-closed one: the upstream closed its
 * side) until the next request to that upstream. One daemon thread for every pool of the process; it
 * holds its pools weakly, so a pool nobody references any more is collected and its task stops.
 */
final class IdleSweeper {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private IdleSweeper() {}

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "aistream-idle-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /**
     * Calls {@code task} on {@code owner} every {@code period} (on the sweeper thread) while {@code owner}
     * is reachable and until the returned future is cancelled. {@code task} must be quick and not throw.
     */
    static <T> ScheduledFuture<?> every(Duration period, T owner, Consumer<T> task) {
        WeakReference<T> ref = new WeakReference<>(owner);
        long millis = Math.max(1, period.toMillis());
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable tick = () -> {
            T target = ref.get();
            if (target == null) {
                ScheduledFuture<?> f = self[0];
                if (f != null) {
                    f.cancel(false);
                }
                return;
            }
            task.accept(target);
        };
        // a tick before this assignment cannot cancel itself yet; the next one does
        self[0] = TIMER.scheduleWithFixedDelay(tick, millis, millis, TimeUnit.MILLISECONDS);
        return self[0];
    }
}
