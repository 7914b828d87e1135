package io.aistream.server.internal;

import io.aistream.chunk.StreamChunk;
import io.aistream.sse.ChunkSseWriter;
import io.aistream.stream.TimeSource;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;

/**
 * One native SSE response: the headers, {@code retry:} once, one event per chunk with one flush each,
 * {@code : keepalive} after {@code keepAlive} of silence, {@code data: [DONE]} last.
 *
 * <p><b>Threading.</b> The stream's thread calls {@link #send} and {@link #sendDone}; the keep-alive
 * timer (on the injected {@link TimeSource}) hands its comment to a virtual thread that takes the
 * same lock, so at most one write is in flight. A keep-alive waits for a chunk write in
 * progress (it checks idleness again once it has the lock).
 *
 * <p><b>Failure.</b> A failed write (the client went away) marks the session failed and runs
 * {@code onFailure} once; later sends return false at once.
 */
final class SseSession implements AutoCloseable {
    private final ChunkSseWriter writer;
    private final TimeSource time;
    private final long keepAliveNanos;
    private final Runnable onFailure;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastWriteNanos;
    private volatile boolean closed;
    private volatile boolean failed;
    private volatile TimeSource.Cancellable timer;

    private SseSession(OutputStream out, TimeSource time, Duration keepAlive, Runnable onFailure) {
        this.writer = new ChunkSseWriter(out);
        this.time = time;
        this.keepAliveNanos = keepAlive.toNanos();
        this.onFailure = onFailure;
    }

    /**
     * Sets the SSE headers, arms the keep-alive timer and writes {@code retry:} (which commits the
     * headers, so the client sees {@code X-Stream-Id} at once).
     */
    static SseSession open(Response response, String streamId, long retryMillis, TimeSource time, Duration keepAlive,
            Runnable onFailure) {
        response.setStatus(200);
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
        headers.put("X-Accel-Buffering", "no");
        headers.put("X-Stream-Id", streamId);
        SseSession session = new SseSession(Content.Sink.asOutputStream(response), time, keepAlive, onFailure);
        // armed before the first byte leaves, so whoever sees the first byte knows the timer runs
        session.lastWriteNanos = time.nanoTime();
        session.schedule(session.keepAliveNanos);
        session.lock.lock();
        try {
            session.writer.writeRetry(retryMillis);
            session.writer.flush();
        } catch (RuntimeException e) {
            session.fail();
        } finally {
            session.lock.unlock();
        }
        return session;
    }

    /** Writes one chunk as an event and flushes it; false if the client is gone. */
    boolean send(StreamChunk chunk) {
        if (failed || closed) {
            return false;
        }
        lock.lock();
        try {
            // stamped before the bytes leave: whoever sees them sees this time (exact with a virtual clock)
            lastWriteNanos = time.nanoTime();
            writer.writeChunk(chunk);
            writer.flush();
            return true;
        } catch (RuntimeException e) {
            fail();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Writes {@code data: [DONE]} and flushes; false if the client is gone. */
    boolean sendDone() {
        if (failed || closed) {
            return false;
        }
        lock.lock();
        try {
            lastWriteNanos = time.nanoTime();
            writer.writeDone();
            writer.flush();
            return true;
        } catch (RuntimeException e) {
            fail();
            return false;
        } finally {
            lock.unlock();
        }
    }

    boolean failed() {
        return failed;
    }

    private void fail() {
        if (!failed) {
            failed = true;
            onFailure.run();
        }
    }

    private void schedule(long delayNanos) {
        if (closed) {
            return;
        }
        timer = time.schedule(Duration.ofNanos(delayNanos), this::keepAliveDue);
        if (closed) {
            timer.cancel();
        }
    }

    /** On the time source's thread: must not block. */
    private void keepAliveDue() {
        if (closed || failed) {
            return;
        }
        long idle = time.nanoTime() - lastWriteNanos;
        if (idle < keepAliveNanos) {
            schedule(keepAliveNanos - idle);
            return;
        }
        Thread.ofVirtual().name("aistream-keepalive").start(this::writeKeepAlive);
    }

    private void writeKeepAlive() {
        lock.lock(); // behind a chunk write in flight, if any; then idleness is checked again
        try {
            if (closed || failed) {
                return;
            }
            long now = time.nanoTime();
            long idle = now - lastWriteNanos;
            if (idle < keepAliveNanos) {
                schedule(keepAliveNanos - idle);
                return;
            }
            lastWriteNanos = now;
            schedule(keepAliveNanos); // before the bytes leave, like the stamp
            writer.writeKeepAlive();
            writer.flush();
        } catch (RuntimeException e) {
            fail();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the keep-alives and ends the response (the last write). Idempotent. */
    @Override
    public void close() {
        closed = true;
        TimeSource.Cancellable t = timer;
        if (t != null) {
            t.cancel();
        }
        lock.lock();
        try {
            writer.close();
        } catch (RuntimeException e) {
            // the client is gone; nothing left to tell it
        } finally {
            lock.unlock();
        }
    }
}
