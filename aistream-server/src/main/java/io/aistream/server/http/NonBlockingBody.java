package io.aistream.server.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body that can write without blocking, for an event loop that relays a stream: while
 * {@linkplain #nonBlocking(boolean) non-blocking mode} is on, {@link #flush()} starts an asynchronous write of
 * what was written since the last flush and returns at once; with it off (the default) the body behaves like
 * any {@link HttpResponse#body()} (a flush is a blocking write).
 *
 * <p><b>One write in flight.</b> While a write is in flight, later flushes append to one pending buffer that
 * goes out, as one write, when the write in flight completes. The pending bytes are capped ({@link
 * #MAX_PENDING_BYTES}): a flush that would pass the cap fails the body. A relay pulls its next chunk only
 * while the body is {@link #writable()}, so the pending buffer holds at most keep-alive comments.
 *
 * <p><b>Failure.</b> A failed write (the client went away) makes every later write, flush and close throw
 * {@link IOException} (the streaming sessions turn that into "client gone") and runs the armed
 * {@link #onWritable} callback.
 *
 * <p><b>Threading.</b> Writes and flushes come from one thread at a time (a session's lock serializes them);
 * {@link #writable()} and {@link #onWritable} may be called from any thread; the callback runs on whichever
 * thread completes the write (often a connector thread, sometimes the flushing thread itself) and must not
 * block. {@link #nonBlocking(boolean)} is called by the stream's request thread, which may block there.
 */
public abstract class NonBlockingBody extends OutputStream {
    /** The most bytes that may wait behind a write in flight. */
    public static final int MAX_PENDING_BYTES = 1 << 20;

    /** For subclasses. */
    protected NonBlockingBody() {}

    /**
     * Turns non-blocking mode on or off. Turning it on waits for a blocking write in progress (from a
     * keep-alive, say); turning it off waits until every asynchronous write completed (or the body failed),
     * so the caller may then write the blocking way. Called by the request thread only.
     *
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    public abstract void nonBlocking(boolean on) throws InterruptedException;

    /** Whether non-blocking mode is on. */
    public abstract boolean isNonBlocking();

    /** No write in flight and nothing pending (also true once failed: the next write throws at once). */
    public abstract boolean writable();

    /**
     * Arms a one-shot callback, run when the body becomes {@linkplain #writable() writable} (the write in
     * flight and the pending one completed) or fails; at once, on the calling thread, if it already is. A new
     * arming replaces an earlier one that has not run.
     */
    public abstract void onWritable(Runnable callback);
}
