package io.aistream.servlet;

import io.aistream.server.http.ClientGone;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The "client went away" signal of one Servlet exchange, fed by everything the container lets us see:
 * {@code AsyncListener.onError} (the container noticed a failed connection), a failed write or flush
 * of the response, and the connection's own end-of-stream where the binding can watch it while
 * nothing is written:
 *
 * <ul>
 *   <li><b>Tomcat</b> (NIO connector, HTTP/1.1) reads an async request's connection only while the
 *       application reads its body; {@link TomcatChannelWatch} watches the socket channel itself.
 *   <li><b>Jetty ee10</b> lets the binding reach the core request; there the connection is watched for
 *       end-of-stream as the Jetty gateway does ({@link JettyCoreWatch}).
 *   <li>Elsewhere (another container or connector, HTTP/2 on Tomcat) an idle client's close is seen at
 *       the keep-alive after next: the first write after the close draws the peer's reset, the second
 *       fails.
 * </ul>
 *
 * <p>While chunks flow, the second write after the client's close fails (the first one draws the
 * peer's reset), so the upstream is aborted within a chunk interval or two. Thread-safe; the callback
 * runs at most once, on a thread of its own.
 */
final class ClientWatch implements ClientGone {
    private final AtomicBoolean gone = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable onGone;
    private volatile Runnable onClose;

    /** Starts watching with {@code callback}; runs it at once (on another thread) if the client is gone already. */
    ClientWatch arm(Runnable callback, Runnable stop) {
        onClose = stop;
        onGone = callback;
        if (gone.get()) {
            fire(callback);
        }
        return this;
    }

    /** The client was seen to go away. */
    void clientGone() {
        if (gone.compareAndSet(false, true)) {
            Runnable callback = onGone;
            if (callback != null) {
                fire(callback);
            }
        }
    }

    private final AtomicBoolean fired = new AtomicBoolean();

    private void fire(Runnable callback) {
        if (!closed.get() && fired.compareAndSet(false, true)) {
            Thread.ofVirtual().name("aistream-client-gone").start(callback);
        }
    }

    @Override
    public boolean disconnected() {
        return gone.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Runnable stop = onClose;
            if (stop != null) {
                stop.run();
            }
        }
    }
}
