package io.aistream.server.internal;

import io.aistream.sse.SseWriter;
import io.aistream.stream.TimeSource;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import tools.jackson.databind.node.ObjectNode;

/**
 * One UI message stream response: the AI SDK's headers ({@code content-type: text/event-stream},
 * {@code x-vercel-ai-ui-message-stream: v1}, {@code cache-control: no-cache},
 * {@code x-accel-buffering: no}) plus {@code X-Stream-Id}; then {@code data: <chunk json>} events,
 * one flush per batch (the UI chunks of one native chunk); {@code : keepalive} comments after
 * {@code keepAlive} of silence (the SDK's parser skips comments); {@code data: [DONE]} last.
 *
 * <p>Threading and failure as in {@link SseSession}: one lock around every write, the keep-alive
 * timer runs on the injected {@link TimeSource} and writes from a virtual thread; a failed write
 * marks the session failed and runs {@code onFailure} once.
 */
final class UiStreamSession implements AutoCloseable {
    static final String PROTOCOL_HEADER = "x-vercel-ai-ui-message-stream";

    private final SseWriter writer;
    private final TimeSource time;
    private final long keepAliveNanos;
    private final Runnable onFailure;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastWriteNanos;
    private volatile boolean closed;
    private volatile boolean failed;
    private volatile TimeSource.Cancellable timer;

    private UiStreamSession(OutputStream out, TimeSource time, Duration keepAlive, Runnable onFailure) {
        // the events of one batch leave together, at the flush
        this.writer = new SseWriter(new BufferedOutputStream(out, 16 * 1024));
        this.time = time;
        this.keepAliveNanos = keepAlive.toNanos();
        this.onFailure = onFailure;
    }

    /** Sets the headers and arms the keep-alive timer; the first {@link #send} commits the headers. */
    static UiStreamSession open(Response response, String streamId, TimeSource time, Duration keepAlive,
            Runnable onFailure) {
        response.setStatus(200);
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
        headers.put(PROTOCOL_HEADER, "v1");
        headers.put("X-Accel-Buffering", "no");
        headers.put("X-Stream-Id", streamId);
        UiStreamSession session = new UiStreamSession(Content.Sink.asOutputStream(response), time, keepAlive, onFailure);
        session.lastWriteNanos = time.nanoTime();
        session.schedule(session.keepAliveNanos);
        return session;
    }

    /** Writes the chunks as events and flushes once; false if the client is gone. */
    boolean send(List<ObjectNode> chunks) {
        if (failed || closed) {
            return false;
        }
        if (chunks.isEmpty()) {
            return true;
        }
        lock.lock();
        try {
            lastWriteNanos = time.nanoTime();
            for (ObjectNode chunk : chunks) {
                writer.writeDataUtf8(Responses.JSON.writeValueAsBytes(chunk)).endEvent();
            }
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
            writer.writeData("[DONE]").endEvent();
            writer.flush();
            return true;
        } catch (RuntimeException e) {
            fail();
            return false;
        } finally {
            lock.unlock();
        }
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
        Thread.ofVirtual().name("aistream-ui-keepalive").start(this::writeKeepAlive);
    }

    private void writeKeepAlive() {
        lock.lock();
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
            schedule(keepAliveNanos);
            writer.writeComment(" keepalive").endEvent();
            writer.flush();
        } catch (RuntimeException e) {
            fail();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the keep-alives and ends the response. Idempotent. */
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
