package io.aistream.server.jetty;

import io.aistream.server.http.BadHttpRequestException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * A request body as a blocking stream, read straight from Jetty's content chunks, that
 *
 * <ul>
 *   <li>enforces a minimum data rate: a body of {@code n} bytes read so far must have arrived within
 *       {@code grace + n / minRate} seconds of the first read; a slower one fails with
 *       {@link BadHttpRequestException} 408 (Jetty's core API has no such check, and its idle timeout
 *       restarts at every byte, so a trickled body would otherwise hold the exchange for ever);
 *   <li>turns Jetty's framing failures — a body that is not valid chunked encoding, one cut short by
 *       the client closing, an idle timeout — into {@link BadHttpRequestException} (400 / 408) with a
 *       message for the client, instead of the {@code EofException} Jetty raises for all of them.
 * </ul>
 *
 * <p>Read by the one (virtual) thread handling the exchange, which waits on a semaphore that Jetty's
 * demand callback releases — with the rate's deadline as the wait's bound, so no timer is needed.
 * {@link #close()} releases the chunk being read; it does not consume the rest (Jetty does, or closes
 * the connection, when the exchange completes).
 */
final class RequestBody extends InputStream {
    private final Request request;
    private final int minRate;
    private final long graceNanos;
    private final Semaphore demanded = new Semaphore(0);
    private long startNanos = -1;
    private long received;
    private Content.Chunk chunk;
    private boolean eof;

    /**
     * @param minRate bytes per second the body must arrive at after {@code grace}; 0 = no minimum
     */
    RequestBody(Request request, int minRate, Duration grace) {
        this.request = request;
        this.minRate = minRate;
        this.graceNanos = grace.toNanos();
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
            if (chunk != null) {
                ByteBuffer buffer = chunk.getByteBuffer();
                if (buffer.hasRemaining()) {
                    int n = Math.min(len, buffer.remaining());
                    buffer.get(b, off, n);
                    received += n;
                    return n;
                }
                boolean last = chunk.isLast();
                chunk.release();
                chunk = null;
                if (last) {
                    eof = true;
                }
            }
            if (eof) {
                return -1;
            }
            Content.Chunk next = request.read();
            if (next == null) {
                awaitContent();
            } else if (Content.Chunk.isFailure(next)) {
                throw failure(next.getFailure());
            } else {
                chunk = next;
            }
        }
    }

    private void awaitContent() throws IOException {
        request.demand(demanded::release);
        try {
            if (minRate <= 0) {
                demanded.acquire();
                return;
            }
            long deadline = startNanos + graceNanos + received * 1_000_000_000L / minRate;
            long wait = deadline - System.nanoTime();
            if (wait <= 0 || !demanded.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                throw new BadHttpRequestException(
                        408, "the request body arrived slower than " + minRate + " bytes per second", false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the request body");
        }
    }

    /** What a failed read means for the client; an unexpected one is rethrown as it is. */
    private IOException failure(Throwable cause) {
        if (cause instanceof TimeoutException) {
            throw new BadHttpRequestException(408, "the request body stopped arriving (idle timeout)", false);
        }
        boolean gone = clientClosed();
        if (cause instanceof EOFException || cause instanceof HttpException || gone) {
            // Jetty reports a broken chunk as an early EOF too: the connection's state tells them apart
            if (gone) {
                throw new BadHttpRequestException(
                        400,
                        "the request body ended before its declared length (the client closed the connection)",
                        true);
            }
            if (chunked()) {
                throw BadHttpRequestException.malformed("the request body is not valid chunked encoding");
            }
            throw BadHttpRequestException.malformed("the request body is not validly framed");
        }
        return cause instanceof IOException io ? io : new IOException(cause);
    }

    private boolean clientClosed() {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        return endPoint.isInputShutdown() || !endPoint.isOpen();
    }

    private boolean chunked() {
        String te = request.getHeaders().get(HttpHeader.TRANSFER_ENCODING);
        return te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    @Override
    public void close() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
        eof = true;
    }
}
