package io.aistream.webflux;

import io.aistream.server.http.ClientGone;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Whether the client of one exchange went away, and who wants to know ({@link ClientGone} handles).
 * Told by every signal the binding has: the response publisher cancelled or its write failed, the
 * exchange's {@code Mono} cancelled by the server, and — on Reactor Netty — the connection's channel
 * closing, which is seen at once even while nothing is being written (a stalled upstream).
 *
 * <p>Thread-safe; a handle's callback runs at most once, on a thread of the server.
 */
final class ClientWatch {
    private final ServerHttpRequest request;
    private final List<Handle> handles = new CopyOnWriteArrayList<>();
    private final AtomicBoolean gone = new AtomicBoolean();
    private volatile AutoCloseable channelHook;
    private volatile boolean ended;

    ClientWatch(ServerHttpRequest request) {
        this.request = request;
    }

    /** A handle whose {@code onGone} runs once the client is seen gone (at once if it already is). */
    ClientGone watch(Runnable onGone) {
        Handle handle = new Handle(onGone);
        handles.add(handle);
        hookChannel();
        if (gone.get()) {
            Thread.ofVirtual().name("aistream-client-gone").start(handle::fire);
        }
        return handle;
    }

    private synchronized void hookChannel() {
        if (channelHook == null && !ended) {
            channelHook = NettyChannels.onClose(request, this::gone);
        }
    }

    /** The client went away: every open handle fires. */
    void gone() {
        if (ended || !gone.compareAndSet(false, true)) {
            return;
        }
        for (Handle h : handles) {
            h.fire();
        }
    }

    /** The exchange ended: stops watching its connection (which may serve the next request). */
    synchronized void end() {
        ended = true;
        AutoCloseable hook = channelHook;
        channelHook = null;
        if (hook != null) {
            try {
                hook.close();
            } catch (Exception e) {
                // removing a listener does not fail
            }
        }
    }

    private final class Handle implements ClientGone {
        private final Runnable onGone;
        private final AtomicBoolean fired = new AtomicBoolean();
        private volatile boolean closed;

        Handle(Runnable onGone) {
            this.onGone = onGone;
        }

        void fire() {
            if (!closed && fired.compareAndSet(false, true)) {
                onGone.run();
            }
        }

        @Override
        public boolean disconnected() {
            return fired.get();
        }

        @Override
        public void close() {
            closed = true;
            handles.remove(this);
        }
    }
}
