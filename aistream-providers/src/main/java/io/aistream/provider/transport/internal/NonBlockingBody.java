package io.aistream.provider.transport.internal;

import java.io.IOException;

/**
 * A response body that can also be read without blocking, for a consumer driven by an event loop
 * ({@link Exchange#nonBlockingBody()}): plain (non-TLS) connections of {@link SocketHttpTransport}.
 *
 * <p><b>Threading.</b> The body's reader (one thread at a time) calls {@link #readNow}, {@link #onReadable}
 * and {@link #toBlocking()}; the callback runs on the connection's I/O loop thread
 * ({@code aistream-upstream-io-N}), on the thread that closes (aborts) the connection, or at once on the
 * arming thread when the connection is closed already. It must not block. The reader may call
 * {@link #readNow}, {@link #onReadable} and {@link #toBlocking()} from the callback itself (on the loop
 * thread these run inline, without waking the loop); when the reader changes threads, the hand-over must
 * be a happens-before edge (an executor, a lock), as for any single-reader state. The blocking {@link java.io.InputStream} view of the same body stays usable:
 * its first read after a non-blocking one puts the connection back in blocking mode by itself.
 *
 * <p>End of body and connection hand-back work as for the blocking reads: reaching the end gives the
 * connection back (to the pool once it is in blocking mode and off its loop), a failure discards it.
 */
public interface NonBlockingBody {
    /**
     * Reads body bytes that have arrived, never blocking: as many as are there (framing removed), up to
     * {@code len}.
     *
     * @return the count, 0 if none has arrived yet (then arm {@link #onReadable}), -1 at the body's end
     * @throws IOException the same failures as a blocking read (a connection lost mid-body, bad framing,
     *                     an aborted exchange)
     */
    int readNow(byte[] b, int off, int len) throws IOException;

    /**
     * Runs {@code callback} once, on an I/O loop thread, when more bytes (or the end, or a reset) may be
     * read; replaces an earlier arming. Never blocks. A closed or aborted connection runs it at once or
     * soon, from whichever thread notices.
     */
    void onReadable(Runnable callback);

    /** Forgets the armed callback. */
    void disarm();

    /**
     * Back to blocking reads: disarms, and waits until the connection's I/O loop has dropped it and put it
     * back in blocking mode (a task on that loop; immediate when called from its thread, when no
     * non-blocking read happened, or when the body is done with). Idempotent.
     */
    void toBlocking() throws IOException;
}
