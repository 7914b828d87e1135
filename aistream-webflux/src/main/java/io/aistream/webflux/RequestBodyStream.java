package io.aistream.webflux;

import io.aistream.server.http.BadHttpRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.CoreSubscriber;

/**
 * A reactive request body ({@code Flux<DataBuffer>}) as a blocking stream, with bounded demand: one
 * buffer is requested at a time, and only when the reader has used up the one before, so at most one
 * buffer (as large as the server's read chunk) is held here. Every buffer is released: once read,
 * on {@link #close()}, and when one arrives after the stream was closed or failed.
 *
 * <p>Like the Jetty binding's body, it enforces the gateway's minimum data rate: a body of {@code n}
 * bytes read so far must have arrived within {@code grace + n / minRate} seconds of the first read,
 * else the read fails with {@link BadHttpRequestException} 408 — the bound on a body that never ends.
 * Transport failures (the client closing mid-body) surface as {@link BadHttpRequestException} 400.
 *
 * <p>Read by the one (virtual) thread that handles the exchange; the signals arrive on the server's
 * event loop and hand over through a lock.
 */
final class RequestBodyStream extends InputStream implements CoreSubscriber<DataBuffer> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private final Publisher<DataBuffer> body;
    private final int minRate;
    private final long graceNanos;
    private Subscription subscription;
    private boolean subscribed;
    private DataBuffer arrived; // handed over by onNext, taken by the reader
    private DataBuffer current; // being read
    private boolean requested;
    private boolean complete;
    private Throwable failure;
    private boolean closed;
    private long startNanos = -1;
    private long received;

    /**
     * @param minRate bytes per second the body must arrive at after {@code grace}; 0 = no minimum
     */
    RequestBodyStream(Publisher<DataBuffer> body, int minRate, Duration grace) {
        this.body = body;
        this.minRate = minRate;
        this.graceNanos = grace.toNanos();
    }

    @Override
    public void onSubscribe(Subscription s) {
        lock.lock();
        try {
            if (closed) {
                s.cancel();
                return;
            }
            subscription = s;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onNext(DataBuffer buffer) {
        lock.lock();
        try {
            if (closed || arrived != null) {
                DataBufferUtils.release(buffer); // closed meanwhile (or a publisher that broke its demand)
                return;
            }
            arrived = buffer;
            requested = false;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onError(Throwable t) {
        lock.lock();
        try {
            failure = t;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onComplete() {
        lock.lock();
        try {
            complete = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (startNanos < 0) {
            startNanos = System.nanoTime();
        }
        while (true) {
            if (current != null) {
                int n = Math.min(len, current.readableByteCount());
                if (n > 0) {
                    current.read(b, off, n);
                    received += n;
                    return n;
                }
                DataBufferUtils.release(current);
                current = null;
            }
            current = next();
            if (current == null) {
                return -1;
            }
        }
    }

    /** The next buffer, waiting for it within the rate's deadline; null at the end of the body. */
    private DataBuffer next() throws IOException {
        boolean subscribe = false;
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            if (!subscribed) {
                subscribed = true;
                subscribe = true;
            }
        } finally {
            lock.unlock();
        }
        if (subscribe) {
            body.subscribe(this); // outside the lock: a synchronous publisher signals at once
        }
        lock.lock();
        try {
            while (true) {
                if (arrived != null) {
                    DataBuffer next = arrived;
                    arrived = null;
                    return next;
                }
                if (failure != null) {
                    throw failure(failure);
                }
                if (complete || closed) {
                    return null;
                }
                if (subscription != null && !requested) {
                    requested = true;
                    subscription.request(1);
                    continue; // a synchronous publisher may have answered already
                }
                await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void await() throws IOException {
        try {
            if (minRate <= 0) {
                signalled.await();
                return;
            }
            long deadline = startNanos + graceNanos + received * 1_000_000_000L / minRate;
            long wait = deadline - System.nanoTime();
            if (wait <= 0 || !signalled.await(wait, TimeUnit.NANOSECONDS) && deadline - System.nanoTime() <= 0) {
                throw new BadHttpRequestException(
                        408, "the request body arrived slower than " + minRate + " bytes per second", false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the request body");
        }
    }

    /**
     * What a failed body means for the client: its 400, never the gateway's 500. The server's own
     * exception types are not API here (the binding runs on any reactive server), so a body cut short
     * by a closed connection is told apart by Reactor Netty's exception name.
     */
    private static BadHttpRequestException failure(Throwable cause) {
        String name = cause.getClass().getSimpleName();
        if (name.contains("PrematureClose") || name.contains("Aborted") || name.contains("ClosedChannel")) {
            return new BadHttpRequestException(
                    400, "the request body ended before its declared length (the client closed the connection)", true);
        }
        return BadHttpRequestException.malformed("the request body is not validly framed");
    }

    /** Releases the buffer being read and stops the body (the server drops or drains the rest). Idempotent. */
    @Override
    public void close() {
        DataBuffer pending;
        Subscription s;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            pending = arrived;
            arrived = null;
            s = subscription;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
        if (pending != null) {
            DataBufferUtils.release(pending);
        }
        if (current != null) {
            DataBufferUtils.release(current);
            current = null;
        }
        if (s != null && !complete) {
            s.cancel();
        }
    }
}
