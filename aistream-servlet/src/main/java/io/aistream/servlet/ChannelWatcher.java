package io.aistream.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the sockets of streaming responses for the client's close, all on one selector thread of
 * its own (a daemon, started on first use): a watched channel is registered for reading on this
 * selector, beside the container's own (a channel may be registered with several selectors), and
 * never read — the first sign of readability (end-of-stream, a reset, or bytes) fires the watch's
 * callback once, on a virtual thread, and ends the watch. Registrations and cancellations are queued
 * to the selector thread, so no caller ever waits on a selection in progress. Thread-safe.
 */
final class ChannelWatcher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelWatcher.class);
    private static volatile ChannelWatcher shared;

    private final Selector selector;
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();

    private ChannelWatcher(Selector selector) {
        this.selector = selector;
    }

    /** The process's one watcher. */
    static ChannelWatcher shared() {
        ChannelWatcher w = shared;
        if (w == null) {
            synchronized (ChannelWatcher.class) {
                w = shared;
                if (w == null) {
                    try {
                        w = new ChannelWatcher(Selector.open());
                    } catch (IOException e) {
                        throw new UncheckedIOException("no selector for the client watch", e);
                    }
                    Thread.ofPlatform().name("aistream-client-watch").daemon().start(w);
                    shared = w;
                }
            }
        }
        return w;
    }

    /**
     * Watches {@code channel} until the returned handle runs; {@code gone} runs at most once, on a
     * virtual thread, if the channel turns readable first (or cannot be watched because it is closed).
     */
    Runnable watch(SocketChannel channel, Runnable gone) {
        Watch watch = new Watch(channel, gone);
        pending.add(watch::register);
        selector.wakeup();
        return () -> {
            if (watch.stopped.compareAndSet(false, true)) {
                pending.add(watch::cancel);
                selector.wakeup();
            }
        };
    }

    @Override
    public void run() {
        try {
            while (true) {
                selector.select();
                for (Runnable r; (r = pending.poll()) != null; ) {
                    r.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    key.cancel(); // one sign is enough; never spin on a level-triggered readiness
                    ((Watch) key.attachment()).fire();
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.warn("the client watch stopped: {}", e.toString());
        }
    }

    /** One watched channel. */
    private final class Watch {
        final SocketChannel channel;
        final Runnable gone;
        final AtomicBoolean stopped = new AtomicBoolean();
        final AtomicBoolean fired = new AtomicBoolean();
        SelectionKey key; // the selector thread's only

        Watch(SocketChannel channel, Runnable gone) {
            this.channel = channel;
            this.gone = gone;
        }

        void register() {
            if (stopped.get()) {
                return;
            }
            try {
                key = channel.register(selector, SelectionKey.OP_READ, this);
            } catch (ClosedChannelException | CancelledKeyException e) {
                fire(); // closed before we looked: the client (or the container) is done with it
            } catch (IllegalBlockingModeException e) {
                // a blocking connector: nothing to watch, writes still show the close
            }
        }

        void cancel() {
            if (key != null) {
                key.cancel();
            }
        }

        void fire() {
            if (!stopped.get() && fired.compareAndSet(false, true)) {
                Thread.ofVirtual().name("aistream-client-gone").start(gone);
            }
        }
    }
}
