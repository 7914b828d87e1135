package io.aistream.server.jetty;

import io.aistream.server.http.ApiError;
import io.aistream.server.http.Responses;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection with a request-header deadline: the request line and headers of each HTTP/1.x
 * request must arrive within {@code headerTimeout} of the request's first byte (for the first request,
 * of the connection's opening). Jetty has no such timeout, and its idle timeout restarts at every byte,
 * so a client trickling a byte a second would otherwise hold the connection for ever.
 *
 * <p>States: <em>awaiting headers</em> (the deadline is armed: at opening, and when the first byte of
 * the next request arrives on an idle keep-alive connection), <em>in a request</em> (from the moment the
 * gateway's handler — or Jetty's error handler — receives the request, which means its headers were
 * parsed, until its callback completes), <em>idle</em> (between requests: the idle timeout governs),
 * <em>off</em> (after a WebSocket upgrade and on HTTP/2, whose connections are not timed here). When the
 * deadline passes while headers are awaited, the connection is answered {@code 408} (JSON) and closed.
 *
 * <p>Also gives back the connection's slot of the per-address limit when it closes.
 *
 * <p><b>Threading.</b> One timer task per armed deadline on Jetty's shared scheduler (no thread per
 * connection); the state changes under this object's lock, which is held only for a few assignments.
 */
final class GuardedEndPoint extends SocketChannelEndPoint {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedEndPoint.class);

    private enum State {
        AWAITING_HEADERS,
        IN_REQUEST,
        IDLE,
        OFF,
        EXPIRED
    }

    private final Scheduler scheduler;
    private final long headerTimeoutMillis;
    private final Runnable onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile State state; // written under the lock; read without it on the fill path
    private long generation; // guarded by this: which arming a timer task belongs to
    private Scheduler.Task timer; // guarded by this

    /**
     * @param headerTimeout zero = no request-header deadline
     * @param onClosed      runs once when the endpoint closes (gives back the per-address slot)
     */
    GuardedEndPoint(
            SocketChannel channel,
            ManagedSelector selector,
            SelectionKey key,
            Scheduler scheduler,
            Duration headerTimeout,
            Runnable onClosed) {
        super(channel, selector, key, scheduler);
        this.scheduler = scheduler;
        this.headerTimeoutMillis = headerTimeout.toMillis();
        this.onClosed = onClosed;
        this.state = headerTimeoutMillis > 0 ? State.IDLE : State.OFF;
    }

    /** The gateway's endpoint under {@code request}, or null (another connector, a test's). */
    static GuardedEndPoint of(Request request) {
        return request.getConnectionMetaData().getConnection().getEndPoint() instanceof GuardedEndPoint g ? g : null;
    }

    @Override
    public void onOpen() {
        super.onOpen();
        if (state == State.IDLE) {
            synchronized (this) {
                if (state == State.IDLE) {
                    arm();
                }
            }
        }
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        int n = super.fill(buffer);
        if (n > 0 && state == State.IDLE) {
            synchronized (this) {
                if (state == State.IDLE) {
                    arm(); // the first byte of the next request on a keep-alive connection
                }
            }
        }
        return n;
    }

    /**
     * The request's headers were parsed: stops the deadline until {@link #requestEnded()}. On an
     * HTTP/2 connection the timing is switched off for good (not timed here).
     */
    void requestStarted() {
        synchronized (this) {
            cancel();
            if (state == State.OFF || state == State.EXPIRED) {
                return;
            }
            // the connection's class, not the request's version (which the client writes): HTTP/2 is not timed here
            state = getConnection() instanceof HTTP2Connection ? State.OFF : State.IN_REQUEST;
        }
    }

    /** The request's exchange completed: the connection idles until the next request's first byte. */
    void requestEnded() {
        synchronized (this) {
            if (state == State.IN_REQUEST) {
                state = State.IDLE;
            }
        }
    }

    /** The connection is no longer HTTP/1 (a WebSocket upgrade): no more deadlines. */
    void stopTiming() {
        synchronized (this) {
            cancel();
            state = State.OFF;
        }
    }

    private void arm() { // under the lock
        state = State.AWAITING_HEADERS;
        long armed = ++generation;
        timer = scheduler.schedule(() -> expire(armed), headerTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void cancel() { // under the lock
        generation++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void expire(long armed) {
        synchronized (this) {
            if (state != State.AWAITING_HEADERS || generation != armed) {
                return; // headers arrived (or the deadline was re-armed) meanwhile
            }
            timer = null;
            if (getConnection() instanceof HTTP2Connection) {
                state = State.OFF; // became HTTP/2 (prior knowledge) before any request: not timed here
                return;
            }
            state = State.EXPIRED;
        }
        LOG.debug(
                "closing the connection from {}: the request headers did not arrive within {} ms",
                getRemoteSocketAddress(),
                headerTimeoutMillis);
        try {
            write(Callback.from(this::close, failure -> close()), ByteBuffer.wrap(timeoutAnswer()));
        } catch (RuntimeException e) {
            close(); // a write still pending (a client not reading its previous answer): just close
        }
    }

    private byte[] timeoutAnswer() {
        ApiError error = ApiError.of(
                408, "request_timeout", "the request headers did not arrive within " + headerTimeoutMillis + " ms");
        byte[] body = Responses.JSON.writeValueAsBytes(Responses.errorBody(error));
        String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: " + Responses.JSON_TYPE
                + "\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        synchronized (this) {
            cancel();
            state = State.OFF;
        }
        if (closed.compareAndSet(false, true)) {
            onClosed.run();
        }
    }
}
