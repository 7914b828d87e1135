package io.aistream.webflux;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import reactor.core.publisher.Mono;

/**
 * The body of a streaming response as {@code writeAndFlushWith} takes it: one inner publisher (one
 * buffer) per flushed event, so that the server writes and flushes each event at once.
 *
 * <p><b>Bounded hand-over.</b> The writing (virtual) thread {@link #offer}s the bytes of one event and
 * waits while the subscriber has no demand or while {@value #MAX_UNWRITTEN} events are handed over but
 * not yet written (an inner publisher is subscribed only once the server has written the ones before,
 * whatever the outer demand it asked for). A buffer is created only when its inner publisher is
 * subscribed, so an event the server never takes (the client left) holds no buffer to release. The
 * wait is bounded by the write timeout (a client that reads nothing for that long fails the write).
 *
 * <p><b>Threading.</b> One writing thread at a time (the {@link io.aistream.server.http.HttpResponse}
 * contract) emits; the subscriber's requests and cancel arrive on the server's threads.
 */
final class EventPublisher implements Publisher<Publisher<DataBuffer>>, Subscription {
    /** Events handed over to the server but not yet written. */
    static final int MAX_UNWRITTEN = 4;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final DataBufferFactory buffers;
    private final long timeoutNanos;
    private final Runnable onCancel;
    private Subscriber<? super Publisher<DataBuffer>> subscriber;
    private long demand;
    private int unwritten;
    private boolean cancelled;
    private boolean terminated;

    /**
     * @param onCancel runs once when the server cancels (the client went away)
     */
    EventPublisher(DataBufferFactory buffers, Duration writeTimeout, Runnable onCancel) {
        this.buffers = buffers;
        this.timeoutNanos = writeTimeout.toNanos();
        this.onCancel = onCancel;
    }

    @Override
    public void subscribe(Subscriber<? super Publisher<DataBuffer>> s) {
        lock.lock();
        try {
            if (subscriber != null) {
                s.onSubscribe(this);
                s.onError(new IllegalStateException("a response body has one subscriber"));
                return;
            }
            subscriber = s;
        } finally {
            lock.unlock();
        }
        s.onSubscribe(this);
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void request(long n) {
        lock.lock();
        try {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel() {
        failed();
        onCancel.run();
    }

    /** The server will take no more (the write failed, or it cancelled): a waiting writer gives up. */
    void failed() {
        lock.lock();
        try {
            cancelled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands one event over, waiting for demand and for the events before it to be written.
     *
     * @throws IOException when the client is gone, or read nothing within the write timeout
     */
    void offer(byte[] event) throws IOException {
        Subscriber<? super Publisher<DataBuffer>> s;
        lock.lock();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            while (!cancelled && !terminated && (subscriber == null || demand == 0 || unwritten >= MAX_UNWRITTEN)) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    throw new IOException("the client read nothing for " + timeoutNanos / 1_000_000 + " ms");
                }
                changed.await(wait, TimeUnit.NANOSECONDS);
            }
            if (cancelled || terminated) {
                throw new IOException("the client is gone");
            }
            demand--;
            unwritten++;
            s = subscriber;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing the response");
        } finally {
            lock.unlock();
        }
        s.onNext(Mono.fromSupplier(() -> taken(event)));
    }

    private DataBuffer taken(byte[] event) {
        lock.lock();
        try {
            unwritten--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return buffers.wrap(event);
    }

    /** Ends the body: after the events handed over. False when the server had already cancelled. */
    boolean complete() {
        return terminate(null);
    }

    /** Ends the body with a failure, which makes the server abort the response (close the connection). */
    boolean fail(Throwable cause) {
        return terminate(cause);
    }

    private boolean terminate(Throwable cause) {
        Subscriber<? super Publisher<DataBuffer>> s;
        lock.lock();
        try {
            if (terminated || subscriber == null) {
                terminated = true;
                return false;
            }
            terminated = true;
            s = subscriber;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (cause == null) {
            s.onComplete();
        } else {
            s.onError(cause);
        }
        return true;
    }
}
