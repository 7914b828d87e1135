package io.aistream.provider.transport.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A response body read from an {@link HttpConnection}, delimited by its framing; the subclasses are
 * the framings.
 *
 * <p><b>Giving the connection back.</b> As soon as a read reaches the body's end, the connection goes
 * back to its owner — {@link Owner#release} (for reuse) when the response allows keep-alive and
 * nothing beyond the body was received, {@link Owner#discard} (closed) otherwise. A read failure
 * discards it. {@link #close()} before the end first consumes what has already arrived without
 * blocking (typically the last chunk of a stream whose final event came a moment earlier); if that
 * reaches the end the connection is released. If it does not, and the response allows keep-alive, the
 * owner hands the connection over ({@link Owner#detach}) and a virtual thread <em>lingers</em> on it:
 * it reads on for at most {@link #LINGER_MILLIS} per read and {@link #MAX_DRAIN_ON_CLOSE} bytes in all,
 * and returns the connection for reuse ({@link Owner#reuseDetached}) if the body ends cleanly, closes
 * it otherwise. {@code close()} itself never blocks, and a half-read connection is never reused.
 * (A provider's final event usually arrives a moment before the chunked body's last chunk; without
 * the linger nearly every streamed response would cost a new connection, and a TLS handshake.)
 *
 * <p><b>Without blocking.</b> On a connection that {@link HttpConnection#supportsNonBlocking()}, the body is
 * also a {@link NonBlockingBody}: {@link #readNow} takes buffered body bytes, and reads the channel only
 * when the framing needs more (a partial chunk-size line waits for its end, it never blocks or fails). A
 * connection given back to its owner after non-blocking reads is put back in blocking mode first (on its
 * I/O loop), and the lingering drain waits for that too.
 *
 * <p>Threading: one reader. Another thread stops a blocked read by closing the connection (through
 * the owner's abort), which makes the read throw.
 */
abstract sealed class ResponseBody extends InputStream implements NonBlockingBody
        permits ChunkedBody, LengthBody, UntilCloseBody {
    /** At most this many bytes are skipped by {@link #close()} to reach the end. */
    static final int MAX_DRAIN_ON_CLOSE = 16 * 1024;
    /** How long the lingering drain waits for each read before giving the connection up. */
    static final int LINGER_MILLIS = 2000;

    /** Who gets the connection back. */
    interface Owner {
        /** The body was read to its end: the connection may carry another request. */
        void release(HttpConnection connection);

        /** The connection must be closed. */
        void discard(HttpConnection connection);

        /** Whether the exchange was aborted: a read that returns afterwards must not be believed. */
        boolean isAborted();

        /**
         * The body is closed before its end: the owner lets go of the connection (a later abort no
         * longer touches it) so it can be drained in the background; false if it was aborted already.
         */
        boolean detach(HttpConnection connection);

        /** A detached connection was drained to the body's end: it may carry another request. */
        void reuseDetached(HttpConnection connection);
    }

    protected final HttpConnection conn;
    private final Owner owner;
    private final boolean keepAlive;
    private boolean ended;
    private boolean done;
    /** The callback this body armed last on its connection's watch (reader only); null when none. */
    private Runnable armed;

    private byte[] one;

    ResponseBody(HttpConnection conn, Owner owner, boolean keepAlive) {
        this.conn = conn;
        this.owner = owner;
        this.keepAlive = keepAlive;
    }

    /** The body of {@code head}, read from {@code conn}. */
    static ResponseBody of(ResponseHead head, HttpConnection conn, Owner owner) {
        return switch (head.framing()) {
            case CHUNKED -> new ChunkedBody(conn, owner, head.keepAlive());
            case LENGTH -> new LengthBody(conn, owner, head.keepAlive(), head.contentLength());
            case UNTIL_CLOSE -> new UntilCloseBody(conn, owner);
        };
    }

    /**
     * Reads body bytes into {@code b}: when {@code blocking}, waits until at least one byte or the end;
     * otherwise takes only what is already buffered (possibly none). Calls {@link #ended()} when the
     * framing says the body is complete.
     *
     * @return the count (0 only when not blocking), or -1 at the end
     */
    abstract int readBody(byte[] b, int off, int len, boolean blocking) throws IOException;

    /** The framing reached the body's end: give the connection back. */
    protected final void ended() {
        if (ended) {
            return;
        }
        ended = true;
        giveBack();
    }

    private void giveBack() {
        if (done) {
            return;
        }
        done = true;
        if (ended && keepAlive && conn.buffered() == 0) {
            owner.release(conn);
        } else {
            owner.discard(conn);
        }
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        return guarded(b, off, len, true);
    }

    @Override
    public final int readNow(byte[] b, int off, int len) throws IOException {
        return guarded(b, off, len, false);
    }

    /** A blocking read or a read of what arrived, with the checks and the give-back both share. */
    private int guarded(byte[] b, int off, int len, boolean blocking) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (ended) {
            return -1;
        }
        if (done) {
            throw new IOException("the response body is closed");
        }
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            n = blocking ? readBody(b, off, len, true) : readArrived(b, off, len);
        } catch (IOException | RuntimeException e) {
            giveBack();
            throw e;
        }
        if (owner.isAborted()) {
            // Closing a socket under a blocked read may still let that read return bytes that arrived
            // afterwards (or the end): once aborted, nothing read counts.
            giveBack();
            throw new IOException("the exchange was aborted");
        }
        return n;
    }

    /** Buffered body bytes, else what the channel has now; 0 when nothing (whole) has arrived. */
    private int readArrived(byte[] b, int off, int len) throws IOException {
        while (true) {
            int n = readBody(b, off, len, false);
            if (n != 0 || ended) {
                return n;
            }
            if (conn.bufferFull()) {
                // framing (a chunk-size or trailer line) longer than the buffer: the blocking path reads it
                // by accumulating; here it is a protocol error rather than a stall
                throw new HttpProtocolException("response framing longer than the read buffer");
            }
            int filled = conn.fillNow();
            if (filled == 0) {
                return 0;
            }
            if (filled < 0) {
                return endOfInput();
            }
        }
    }

    /**
     * The connection ended while reading without blocking, with the buffer holding no whole piece of
     * body or framing: -1 when that is this framing's end (after {@link #ended()}), else the failure a
     * blocking read would throw.
     */
    abstract int endOfInput() throws IOException;

    @Override
    public final void onReadable(Runnable callback) {
        if (done || ended || conn.isClosed()) {
            callback.run();
            return;
        }
        armed = callback;
        conn.watch().arm(callback);
    }

    @Override
    public final void disarm() {
        // only this body's own arming: once the body ended, the connection may already carry the next
        // exchange, whose consumer armed the same watch
        Runnable mine = armed;
        armed = null;
        if (mine != null && conn.supportsNonBlocking()) {
            conn.watch().disarm(mine);
        }
    }

    @Override
    public final void toBlocking() throws IOException {
        if (done || ended) {
            return; // the connection is no longer ours (given back, or discarded)
        }
        conn.toBlocking();
    }

    @Override
    public final int read() throws IOException {
        if (one == null) {
            one = new byte[1];
        }
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /** Body bytes readable without blocking: buffered ones, never framing (0 when unsure). */
    @Override
    public final int available() {
        return ended || done ? 0 : bufferedBodyBytes();
    }

    /** How many buffered bytes are body bytes for certain. */
    abstract int bufferedBodyBytes();

    /** Ends the body: see the class comment. Idempotent. */
    @Override
    public final void close() {
        if (done) {
            return;
        }
        if (!ended && keepAlive) {
            drainWithoutBlocking();
            if (!ended && !done && owner.detach(conn)) {
                done = true;
                // after non-blocking reads, the linger's blocking reads wait for the loop to let go first
                conn.whenBlocking(() ->
                        Thread.ofVirtual().name("aistream-upstream-linger").start(this::linger));
                return;
            }
        }
        giveBack();
    }

    /** On its own virtual thread, owning the detached connection: see the class comment. */
    private void linger() {
        byte[] scratch = new byte[512];
        int drained = 0;
        try {
            conn.readTimeout(LINGER_MILLIS);
            while (!ended && drained <= MAX_DRAIN_ON_CLOSE) {
                int n = readBody(scratch, 0, scratch.length, true);
                if (n < 0) {
                    break;
                }
                drained += n;
            }
            if (ended && keepAlive && conn.buffered() == 0) {
                conn.readTimeout(0);
                owner.reuseDetached(conn);
                return;
            }
        } catch (IOException | RuntimeException e) {
            // a timeout, a reset, a framing error: not reusable
        }
        conn.close();
    }

    private void drainWithoutBlocking() {
        byte[] scratch = new byte[512];
        int drained = 0;
        try {
            while (!ended && drained <= MAX_DRAIN_ON_CLOSE) {
                int n = readBody(scratch, 0, scratch.length, false);
                if (n > 0) {
                    drained += n;
                } else if (n == 0 && !conn.fillIfReady()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not reusable then; giveBack() closes it
        }
    }
}
