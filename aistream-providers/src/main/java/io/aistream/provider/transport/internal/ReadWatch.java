package io.aistream.provider.transport.internal;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A connection's registration with one {@link IoLoop}: a one-shot callback run when the channel is
 * readable, and the way back to blocking mode.
 *
 * <p><b>Threading.</b> {@link #arm} and {@link #disarm} may be called from any thread (the consumer's, or
 * the loop's when the consumer runs there); the selection key is touched by the loop thread only. The
 * callback runs on the loop thread, at most once per arming; a readable channel found with no callback armed
 * loses its interest until the next arming (so bytes nobody reads do not spin the selector); it may also run on the thread that closes the
 * connection, or at once on the arming thread when the channel is closed already.
 *
 * <p><b>Blocking mode again.</b> A channel may go back to blocking mode only once its key is cancelled
 * <em>and</em> flushed by a select ({@link java.nio.channels.IllegalBlockingModeException} otherwise), so
 * {@link #toBlocking()} runs on the loop thread, between selects: it cancels the key, flushes it with a
 * non-waiting select, and reconfigures the channel.
 */
final class ReadWatch {
    private final IoLoop loop;
    private final SocketChannel channel;
    private final AtomicReference<Runnable> callback = new AtomicReference<>();
    /** Loop thread only. */
    private SelectionKey key;

    ReadWatch(IoLoop loop, SocketChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    /** Runs {@code onReadable} (once) when the channel is readable or closed; replaces an earlier arming. */
    void arm(Runnable onReadable) {
        callback.set(onReadable);
        loop.execute(this::register);
    }

    /**
     * Forgets {@code armed} if it is still the armed callback (a readable event afterwards runs nothing); a
     * callback armed since (by the connection's next exchange) stays.
     */
    void disarm(Runnable armed) {
        callback.compareAndSet(armed, null);
    }

    /** Loop thread. */
    private void register() {
        if (callback.get() == null) {
            return; // disarmed (or already run) before the loop got here
        }
        try {
            if (key == null || !key.isValid()) {
                key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
            } else {
                key.interestOps(SelectionKey.OP_READ);
            }
        } catch (ClosedChannelException | CancelledKeyException e) {
            fire(); // closed (aborted): the consumer's next read says so
        }
    }

    /** Whether a callback is armed (any thread). */
    boolean armed() {
        return callback.get() != null;
    }

    /** Runs the armed callback, if any, once: the channel is readable (loop thread) or closed. */
    void fire() {
        Runnable cb = callback.getAndSet(null);
        if (cb != null) {
            cb.run();
        }
    }

    /**
     * Puts the channel back in blocking mode on the loop thread: cancels the key, has the selector drop it
     * and reconfigures the channel, in one task. The returned future completes then (at once when called
     * from the loop thread), exceptionally when the channel is closed or cannot be reconfigured.
     */
    CompletableFuture<Void> toBlocking() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            callback.set(null);
            try {
                if (key != null) {
                    key.cancel();
                    key = null;
                    loop.flushCancelledKeys();
                }
                channel.configureBlocking(true);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * The channel was closed (any thread): runs the armed callback on this thread (the consumer's next read
     * finds the connection closed), and wakes the loop to flush the key, which is when the socket is really
     * closed.
     */
    void closed() {
        loop.wakeup();
        fire();
    }

    IoLoop loop() {
        return loop;
    }
}
