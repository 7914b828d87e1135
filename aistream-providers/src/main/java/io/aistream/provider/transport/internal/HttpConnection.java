package io.aistream.provider.transport.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One open HTTP/1.1 connection: the socket (TLS or not) and a small read buffer.
 *
 * <p>Reads come from the buffer while it holds bytes; otherwise a body read goes from the socket
 * straight into the caller's array ({@link #read}), so body bytes are copied only when they arrived
 * together with framing (a response head, a chunk header). Lines (head, chunk sizes) are read through
 * the buffer.
 *
 * <p><b>Non-blocking reads.</b> A plain (non-TLS) connection is a {@link SocketChannel} read through
 * its socket adaptor's blocking streams, except while a consumer pulls it without blocking: then
 * {@link #fillNow()} switches the channel to non-blocking mode (lazily, on the first such read) and
 * {@link #watch()} arms a callback on an {@link IoLoop}. Every blocking read first puts the channel back
 * in blocking mode ({@link #toBlocking()}), and a connection goes back to the pool only in blocking
 * mode ({@link #whenBlocking}).
 *
 * <p>Threading: used by one thread at a time (the exchange that owns it, or the pool), except
 * {@link #close()}, which any thread may call at any time to end a blocked read, write or connect at
 * once: it closes the TCP socket under the TLS layer rather than exchanging TLS close messages.
 */
final class HttpConnection {
    /**
     * How long {@link #fillIfReady()} may wait for the rest of a TLS record whose first bytes are
     * there (a TLS read cannot take part of a record).
     */
    static final int TLS_RECORD_WAIT_MILLIS = 50;

    private final Endpoint endpoint;
    private final Socket tcp;
    private final Socket socket;
    /** The channel under a plain connection, or null (TLS): only these can be read without blocking. */
    private final SocketChannel channel;
    /** The registration with an I/O loop, made on the first arming. */
    private volatile ReadWatch watch;
    /** Whether the channel is (or is still going back from) non-blocking mode; reader only. */
    private boolean nonBlocking;
    /** The way back to blocking mode once started, until the reader took note it is done; reader only. */
    private CompletableFuture<Void> restoring;

    private ByteBuffer view;
    /** The last non-blocking read found the socket emptied (a short read); reader only. */
    private boolean drained;
    /** The TCP stream under TLS (only its {@code available()} is used), or null without TLS. */
    private final InputStream tcpIn;

    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf;
    private int pos;
    private int lim;
    private long received;
    private long idleSince;

    /**
     * @param tcp        the TCP socket (closing it ends everything)
     * @param socket     the socket to read and write: {@code tcp}, or a TLS socket layered over it
     * @param bufferSize the read buffer's size
     */
    HttpConnection(Endpoint endpoint, Socket tcp, Socket socket, int bufferSize) throws IOException {
        this.endpoint = endpoint;
        this.tcp = tcp;
        this.socket = socket;
        this.tcpIn = socket == tcp ? null : tcp.getInputStream();
        this.channel = socket == tcp ? tcp.getChannel() : null;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.buf = new byte[bufferSize];
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Writes {@code bytes} whole. */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Counts response bytes from now on (see {@link #received()}). */
    void startResponse() {
        received = 0;
    }

    /** Bytes read from the socket since {@link #startResponse()}. */
    long received() {
        return received;
    }

    /** Bytes read from the socket but not consumed yet. */
    int buffered() {
        return lim - pos;
    }

    /** Whether the buffer holds a whole line (up to a LF). */
    boolean hasBufferedLine() {
        for (int i = pos; i < lim; i++) {
            if (buf[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads one line, ended by LF or CRLF (returned without them), decoded as ISO-8859-1.
     *
     * @param maxLength  the longest line accepted, terminator excluded
     * @param tooLong    the message if the line is longer
     * @param eofMessage the message if the connection ends first
     * @throws HttpProtocolException if the line is too long
     * @throws EOFException          if the connection ends first
     */
    String readLine(int maxLength, String tooLong, String eofMessage) throws IOException {
        byte[] acc = null;
        int accLen = 0;
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int len = i - pos;
                    String line;
                    if (acc == null) {
                        int end = len > 0 && buf[i - 1] == '\r' ? i - 1 : i;
                        checkLength(end - pos, maxLength, tooLong);
                        line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    } else {
                        acc = append(acc, accLen, buf, pos, len);
                        accLen += len;
                        int end = accLen > 0 && acc[accLen - 1] == '\r' ? accLen - 1 : accLen;
                        checkLength(end, maxLength, tooLong);
                        line = new String(acc, 0, end, StandardCharsets.ISO_8859_1);
                    }
                    pos = i + 1;
                    return line;
                }
            }
            int len = lim - pos;
            // one byte of slack for a CR before the LF
            checkLength(accLen + len - 1, maxLength, tooLong);
            if (len > 0) {
                acc = append(acc == null ? new byte[Math.max(64, len * 2)] : acc, accLen, buf, pos, len);
                accLen += len;
            }
            pos = 0;
            lim = 0;
            if (fill() < 0) {
                throw new EOFException(eofMessage);
            }
        }
    }

    private static void checkLength(int length, int max, String tooLong) throws HttpProtocolException {
        if (length > max) {
            throw new HttpProtocolException(tooLong);
        }
    }

    private static byte[] append(byte[] acc, int accLen, byte[] src, int from, int len) {
        if (accLen + len > acc.length) {
            acc = java.util.Arrays.copyOf(acc, Math.max(acc.length * 2, accLen + len));
        }
        System.arraycopy(src, from, acc, accLen, len);
        return acc;
    }

    /**
     * Reads up to {@code len} bytes, blocking until at least one is there: from the buffer if it holds
     * any, else from the socket straight into {@code b}.
     *
     * @return the count, or -1 at the end of the stream
     */
    int read(byte[] b, int off, int len) throws IOException {
        if (lim > pos) {
            return readBuffered(b, off, len);
        }
        toBlocking();
        int n = in.read(b, off, len);
        if (n > 0) {
            received += n;
        }
        return n;
    }

    /** Copies up to {@code len} buffered bytes without blocking; 0 if the buffer is empty. */
    int readBuffered(byte[] b, int off, int len) {
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Drops up to {@code n} buffered bytes; returns how many. */
    int skipBuffered(long n) {
        int k = (int) Math.min(n, lim - pos);
        pos += k;
        return k;
    }

    /**
     * Reads more into the buffer, blocking until something comes.
     *
     * @return the count read, or -1 at the end of the stream
     */
    int fill() throws IOException {
        if (!makeRoom()) {
            return 0;
        }
        toBlocking();
        int n = in.read(buf, lim, buf.length - lim);
        if (n > 0) {
            lim += n;
            received += n;
        }
        return n;
    }

    /**
     * Reads more into the buffer only if bytes have already arrived; true if something came. Without
     * TLS this never blocks. With TLS, bytes that arrived may be part of a record, whose rest is
     * waited for at most {@link #TLS_RECORD_WAIT_MILLIS} (then a {@link java.net.SocketTimeoutException}:
     * the connection is not worth keeping).
     */
    boolean fillIfReady() throws IOException {
        settle();
        if (nonBlocking) {
            // really asked: the body's end (the last chunk after a stream's final event) often came since the
            // last short read, and finding it here gives the connection back without a lingering drain
            drained = false;
            return fillNow() > 0;
        }
        if (in.available() > 0) {
            return fill() > 0;
        }
        if (tcpIn == null || tcpIn.available() <= 0) {
            return false;
        }
        socket.setSoTimeout(TLS_RECORD_WAIT_MILLIS);
        try {
            return fill() > 0;
        } finally {
            socket.setSoTimeout(0);
        }
    }

    /** Whether this connection can be read without blocking (plain TCP on a channel). */
    boolean supportsNonBlocking() {
        return channel != null;
    }

    /**
     * Reads what has arrived into the buffer without blocking (switching the channel to non-blocking mode
     * first, if it is not yet).
     *
     * @return the count read, 0 if nothing has arrived (or the buffer is full), -1 at the end of the stream
     */
    int fillNow() throws IOException {
        settle();
        if (restoring != null) {
            // polled again after a release, before the loop let go: not how a consumer goes on after one
            throw new IOException("the connection is going back to blocking mode");
        }
        if (!nonBlocking) {
            channel.configureBlocking(false);
            nonBlocking = true;
        }
        if (!makeRoom()) {
            return 0;
        }
        if (drained) {
            // the last read took less than it could: the socket had nothing more then, and asking again at once
            // would cost a read that finds nothing (the consumer waits for the loop's callback instead, which
            // tells at once if bytes came meanwhile). Only once: the next call reads.
            drained = false;
            return 0;
        }
        if (view == null) {
            view = ByteBuffer.wrap(buf);
        }
        int space = buf.length - lim;
        view.limit(buf.length).position(lim);
        int n = channel.read(view);
        if (n > 0) {
            lim += n;
            received += n;
            drained = n < space;
        }
        return n;
    }

    /** Moves unconsumed bytes to the buffer's start when it is full up to its end; false if it is full of them. */
    private boolean makeRoom() {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        } else if (lim == buf.length) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        return lim < buf.length;
    }

    /** Whether the buffer is full of unconsumed bytes (a non-blocking read can take no more). */
    boolean bufferFull() {
        return pos == 0 && lim == buf.length;
    }

    /** The connection's registration with an I/O loop (bound to one loop on first use). */
    ReadWatch watch() {
        if (watch == null) {
            watch = new ReadWatch(IoLoops.next(), channel);
        }
        return watch;
    }

    /** Whether the channel is in non-blocking mode now. */
    boolean isNonBlocking() {
        return nonBlocking;
    }

    /**
     * Starts putting the channel back in blocking mode, without waiting (see {@link ReadWatch#toBlocking()});
     * a later blocking read waits for it. Reader only.
     */
    void beginBlocking() {
        drained = false;
        settle();
        if (nonBlocking && restoring == null) {
            ReadWatch w = watch;
            if (w == null) {
                restoring = new CompletableFuture<>();
                try {
                    channel.configureBlocking(true); // never registered: nothing to flush
                    restoring.complete(null);
                } catch (IOException | RuntimeException e) {
                    restoring.completeExceptionally(e);
                }
            } else {
                restoring = w.toBlocking();
            }
            settle();
        }
    }

    /** Reader only: takes note of a finished return to blocking mode (a failed one closes the connection). */
    private void settle() {
        CompletableFuture<Void> r = restoring;
        if (r == null || !r.isDone()) {
            return;
        }
        if (r.isCompletedExceptionally()) {
            close(); // reads fail from now on, as on any closed connection
        }
        nonBlocking = false;
        restoring = null;
    }

    /**
     * Puts the channel back in blocking mode, waiting for its I/O loop to drop it (at once when already
     * blocking). Reader only; never on the loop thread (a blocking read has no business there).
     */
    void toBlocking() throws IOException {
        beginBlocking();
        CompletableFuture<Void> pending = restoring;
        if (pending == null) {
            return;
        }
        ReadWatch w = watch;
        if (w != null && w.loop().inLoop()) {
            throw new IOException("a blocking read of an upstream connection on its I/O loop thread");
        }
        try {
            pending.join();
        } catch (CompletionException e) {
            // settle() below closes the connection
        }
        settle();
    }

    /**
     * Runs {@code then} once the channel is in blocking mode again (at once when it is; else on its loop's
     * thread, which must not block: {@code then} should only hand the connection on); closes the
     * connection instead when that fails. Reader only; the connection's next reader takes note of the
     * finished restore.
     */
    void whenBlocking(Runnable then) {
        beginBlocking();
        CompletableFuture<Void> pending = restoring;
        if (pending == null) {
            then.run();
            return;
        }
        pending.whenComplete((ok, failure) -> {
            if (failure != null) {
                close();
            } else {
                then.run();
            }
        });
    }

    /** Sets how long a read may block (0: without limit); a read that times out throws. */
    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Bytes that arrived on the TCP socket and were not read yet (encrypted ones included). */
    int tcpAvailable() throws IOException {
        return (tcpIn != null ? tcpIn : in).available();
    }

    /**
     * Whether an idle connection still looks usable: open, and nothing unasked arrived on it. (A
     * server that closed it is noticed only when the next request fails; see the retry in
     * {@link SocketExchange}.)
     */
    boolean looksReusable() {
        if (tcp.isClosed() || lim > pos) {
            return false;
        }
        try {
            return in.available() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    void markIdle(long nanoTime) {
        idleSince = nanoTime;
    }

    long idleSince() {
        return idleSince;
    }

    boolean isClosed() {
        return tcp.isClosed();
    }

    /** Closes the TCP socket: thread-safe, idempotent, prompt. */
    void close() {
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closed anyway
        }
        ReadWatch w = watch;
        if (w != null) {
            w.closed(); // a registered channel's socket is closed when its loop flushes the key
        }
    }

    @Override
    public String toString() {
        return "HttpConnection[" + endpoint + (isClosed() ? ", closed]" : "]");
    }
}
