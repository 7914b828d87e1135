package io.aistream.servlet;

import jakarta.servlet.ServletRequest;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * On Jetty's Servlet container (ee10), the client's close is watched on the connection itself, as the
 * Jetty gateway does: Jetty does not read an HTTP/1 connection while a request is being handled, so a
 * read interest of our own sees end-of-stream at once; an HTTP/2 reset reaches the core request's
 * failure listeners. The core request is reached through ee10's public
 * {@code ServletContextRequest.getServletContextRequest}, looked up reflectively so that the binding
 * needs no Jetty ee10 class on other containers (and does nothing there, nor when the container's
 * Jetty classes are not the ones this binding sees).
 *
 * <p>Pipelined bytes behind a streaming request stop the watching (they are not a close). The stop
 * handle withdraws the read interest; it must run before the response's last byte is written.
 */
final class JettyCoreWatch {
    private static final String SERVLET_CONTEXT_REQUEST = "org.eclipse.jetty.ee10.servlet.ServletContextRequest";
    private static final Runnable NOTHING = () -> {};

    private final AbstractEndPoint endPoint;
    private final Runnable gone;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JettyCoreWatch(AbstractEndPoint endPoint, Runnable gone) {
        this.endPoint = endPoint;
        this.gone = gone;
    }

    /** Starts watching if {@code request} is Jetty's; returns the handle that stops it (a no-op elsewhere). */
    static Runnable watch(ServletRequest request, Runnable gone) {
        Request core = coreRequest(request);
        if (core == null) {
            return NOTHING;
        }
        AtomicBoolean stopped = new AtomicBoolean();
        core.addFailureListener(failure -> {
            if (!stopped.get()) {
                gone.run();
            }
        });
        EndPoint ep = core.getConnectionMetaData().getConnection().getEndPoint();
        HttpVersion version = core.getConnectionMetaData().getHttpVersion();
        boolean http1 = version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0;
        if (!http1 || !(ep instanceof AbstractEndPoint endPoint)) {
            return () -> stopped.set(true);
        }
        JettyCoreWatch watch = new JettyCoreWatch(endPoint, gone);
        watch.arm();
        return () -> {
            stopped.set(true);
            watch.stop();
        };
    }

    private static Request coreRequest(ServletRequest request) {
        if (!request.getClass().getName().startsWith("org.eclipse.jetty.ee10.")) {
            return null;
        }
        try {
            Class<?> type = Class.forName(
                    SERVLET_CONTEXT_REQUEST, false, request.getClass().getClassLoader());
            Method lookup = type.getMethod("getServletContextRequest", ServletRequest.class);
            return lookup.invoke(null, request) instanceof Request core ? core : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private void arm() {
        if (!closed.get()) {
            endPoint.tryFillInterested(Callback.from(this::readable, failure -> closedByClient()));
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
                closedByClient();
            } else if (n == 0) {
                arm();
            }
            // n > 0: pipelined bytes, not a close: stop watching
        } catch (Exception e) {
            closedByClient();
        }
    }

    private void closedByClient() {
        if (!closed.get()) {
            gone.run();
        }
    }

    private void stop() {
        if (closed.compareAndSet(false, true)) {
            // completes our own pending interest, if still registered (its callback then sees closed)
            endPoint.getFillInterest().fillable();
        }
    }
}
