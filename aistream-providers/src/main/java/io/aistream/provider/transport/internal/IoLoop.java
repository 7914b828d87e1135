package io.aistream.provider.transport.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread ({@code aistream-upstream-io-N}, a platform daemon thread) of {@link IoLoops}: it
 * watches the upstream connections a consumer reads without blocking and runs their armed callbacks
 * when bytes arrive ({@link ReadWatch}).
 *
 * <p><b>Threading.</b> The selector is touched by its own thread only: registering a channel, changing
 * interest and cancelling keys run as tasks queued with {@link #execute}, which wakes the selector (a
 * task submitted from the loop thread itself runs at once, without a wake-up). A callback or a task
 * that throws is logged and forgotten: one stream's failure never stops the loop for the others.
 */
final class IoLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Loop thread only: the watches a select found readable, whose callbacks run once it returned. */
    private final ArrayDeque<ReadWatch> ready = new ArrayDeque<>();

    private final Consumer<SelectionKey> onSelected = this::onSelected;

    IoLoop(int index) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the upstream I/O loop", e);
        }
        this.thread = Thread.ofPlatform()
                .name("aistream-upstream-io-" + index)
                .daemon(true)
                .unstarted(this);
        thread.start();
    }

    /** Whether the caller is this loop's thread. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread: at once when called from it, else queued (and the selector woken). */
    void execute(Runnable task) {
        if (inLoop()) {
            runSafely(task);
            return;
        }
        tasks.add(task);
        selector.wakeup();
    }

    /** Makes a blocked select return (so that the keys of closed channels are flushed and their sockets closed). */
    void wakeup() {
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    Selector selector() {
        return selector;
    }

    /**
     * Drops the cancelled keys now (loop thread only, never during a select: callbacks and tasks run
     * between selects): a channel whose key was cancelled may go back to blocking mode only once its
     * selector dropped the key. Channels found ready meanwhile get their callbacks after the current one.
     */
    void flushCancelledKeys() throws IOException {
        selector.selectNow(onSelected);
    }

    @Override
    public void run() {
        while (true) {
            try {
                runTasks();
                selector.select(onSelected);
                // outside the select, so that a callback may cancel a key and flush it at once
                for (ReadWatch w; (w = ready.poll()) != null; ) {
                    runSafely(w::fire);
                }
            } catch (ClosedSelectorException e) {
                LOG.error("the upstream I/O loop's selector was closed; {} stops", thread.getName());
                return;
            } catch (Throwable t) {
                // a failure of the selector itself: keep serving the other streams
                LOG.error("upstream I/O loop {} failed: {}", thread.getName(), t.toString(), t);
            }
        }
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            runSafely(task);
        }
    }

    /**
     * In the select: queues the armed callback of a readable channel. The interest stays set while a callback
     * is armed (the consumer reads and arms again before the next select, so a streaming connection costs no
     * {@code epoll_ctl} per chunk); a readable channel with no callback armed loses its interest, so that
     * bytes nobody reads yet do not spin the selector (the next arming sets it again).
     */
    private void onSelected(SelectionKey key) {
        if (key.attachment() instanceof ReadWatch watch) {
            if (watch.armed()) {
                ready.add(watch);
                return;
            }
            try {
                key.interestOps(0);
            } catch (CancelledKeyException e) {
                // closed meanwhile: nothing armed to tell
            }
        }
    }

    private static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            LOG.warn("an upstream readiness callback failed: {}", t.toString(), t);
        }
    }

    @Override
    public String toString() {
        return "IoLoop[" + thread.getName() + "]";
    }
}
