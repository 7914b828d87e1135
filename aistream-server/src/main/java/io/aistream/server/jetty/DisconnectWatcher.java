package io.aistream.server.jetty;

import io.aistream.server.http.ClientGone;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty side of {@link ClientGone}: notices promptly that the client of a streaming response went away, even while nothing is
 * written (a stalled upstream, a follower waiting for the next chunk).
 *
 * <p>HTTP/2 reports a reset stream through the request's failure listeners. An HTTP/1.x connection
 * is not read by Jetty while a request is being handled, so a closed socket would only show at the
 * next write; here the watcher registers its own read interest on the connection's endpoint once
 * the request body has been read: the socket turning readable means end-of-stream (the client
 * closed) or pipelined bytes. Pipelining behind a streaming request is not supported: such bytes are
 * discarded (the watcher then stops watching).
 *
 * <p>{@link #close()} withdraws the read interest; it must run <em>before the response's last byte is
 * written</em> (before the session or writer that completes the response is closed): a client that
 * reuses the connection sends its next request as soon as it has that byte, and a watcher still
 * armed would swallow the start of it (Jetty then answers 400).
 */
final class DisconnectWatcher implements ClientGone {
    private final Runnable onDisconnect;
    private final AtomicBoolean fired = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AbstractEndPoint endPoint;

    private DisconnectWatcher(Request request, Runnable onDisconnect) {
        this.onDisconnect = onDisconnect;
        request.addFailureListener(failure -> disconnect());
        EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        boolean http1 = version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0;
        this.endPoint = http1 && ep instanceof AbstractEndPoint a ? a : null;
    }

    /** Starts watching; {@code onDisconnect} runs at most once, on some other thread. */
    static DisconnectWatcher watch(Request request, Runnable onDisconnect) {
        DisconnectWatcher watcher = new DisconnectWatcher(request, onDisconnect);
        watcher.arm();
        return watcher;
    }

    private void arm() {
        if (endPoint != null && !closed.get() && !fired.get()) {
            endPoint.tryFillInterested(Callback.from(this::readable, failure -> disconnect()));
        }
    }

    private void readable() {
        if (closed.get()) {
            return;
        }
        try {
            ByteBuffer scratch = ByteBuffer.allocate(256).flip();
            int n = endPoint.fill(scratch);
            if (n < 0) {
                disconnect();
            } else if (n > 0) {
                return; // pipelined bytes, not a disconnect: stop watching
            } else {
                arm();
            }
        } catch (Exception e) {
            disconnect();
        }
    }

    private void disconnect() {
        if (!closed.get() && fired.compareAndSet(false, true)) {
            onDisconnect.run();
        }
    }

    /** Whether the client was seen to go away. */
    @Override
    public boolean disconnected() {
        return fired.get();
    }

    /** Withdraws the read interest. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && endPoint != null) {
            // completes our own pending interest, if still registered (its callback then sees closed)
            endPoint.getFillInterest().fillable();
        }
    }
}
