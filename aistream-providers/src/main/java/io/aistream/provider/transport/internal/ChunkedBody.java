package io.aistream.provider.transport.internal;

import java.io.EOFException;
import java.io.IOException;

/**
 * A {@code Transfer-Encoding: chunked} body, de-chunked in place: chunk data goes from the
 * connection's buffer, or straight from the socket, into the reader's array; chunk extensions and
 * trailer fields are read and ignored.
 *
 * <p>A read returns as soon as it has some data and the next piece of framing is not already
 * buffered, so a reader is never held back waiting for a chunk header. A malformed chunk size, a
 * missing CRLF after chunk data or an end of the connection before the last chunk is an
 * {@link IOException}.
 *
 * <p>Read without blocking ({@code blocking == false}), the framing state machine only ever consumes a
 * whole line: a chunk-size line, a CRLF or a trailer split across TCP reads waits in the connection's
 * buffer for its end.
 */
final class ChunkedBody extends ResponseBody {
    /** The longest chunk-size line (size and extensions). */
    static final int MAX_SIZE_LINE = 4 * 1024;

    private enum State {
        SIZE,
        DATA,
        DATA_END,
        TRAILER,
        END
    }

    private State state = State.SIZE;
    /** A framing failure met after some data of a read, thrown by the next read. */
    private IOException deferred;
    /** Bytes copied so far by the current read. */
    private int delivered;

    private long remaining;
    private int trailerBudget = ResponseHead.MAX_HEAD_BYTES;

    ChunkedBody(HttpConnection conn, Owner owner, boolean keepAlive) {
        super(conn, owner, keepAlive);
    }

    @Override
    int bufferedBodyBytes() {
        return state == State.DATA ? (int) Math.min(conn.buffered(), remaining) : 0;
    }

    @Override
    int readBody(byte[] b, int off, int len, boolean blocking) throws IOException {
        if (deferred != null) {
            throw deferred;
        }
        delivered = 0;
        try {
            return readChunks(b, off, len, blocking);
        } catch (IOException e) {
            if (delivered == 0) {
                throw e;
            }
            // the data before the failure is delivered first; the failure comes with the next read
            deferred = e;
            return delivered;
        }
    }

    /** The de-chunking loop; {@code delivered} follows the bytes copied so far. */
    private int readChunks(byte[] b, int off, int len, boolean blocking) throws IOException {
        int total = 0;
        while (total < len) {
            delivered = total;
            boolean mayBlock = blocking && total == 0;
            switch (state) {
                case DATA -> {
                    int want = (int) Math.min(len - total, remaining);
                    int n = mayBlock ? conn.read(b, off + total, want) : conn.readBuffered(b, off + total, want);
                    if (n < 0) {
                        throw new EOFException("the connection closed inside a chunk of the body");
                    }
                    if (n == 0) {
                        return total;
                    }
                    total += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_END;
                    }
                }
                case DATA_END -> {
                    if (!mayBlock && !conn.hasBufferedLine()) {
                        return total;
                    }
                    if (!line(64).isEmpty()) {
                        throw new HttpProtocolException("malformed chunked body: no CRLF after the chunk data");
                    }
                    state = State.SIZE;
                }
                case SIZE -> {
                    if (!mayBlock && !conn.hasBufferedLine()) {
                        return total;
                    }
                    long size = parseSize(line(MAX_SIZE_LINE));
                    if (size == 0) {
                        state = State.TRAILER;
                    } else {
                        remaining = size;
                        state = State.DATA;
                    }
                }
                case TRAILER -> {
                    if (!mayBlock && !conn.hasBufferedLine()) {
                        return total;
                    }
                    String field = line(Math.max(0, trailerBudget));
                    trailerBudget -= field.length() + 2;
                    if (field.isEmpty()) {
                        state = State.END;
                    }
                }
                case END -> {
                    ended();
                    return total == 0 ? -1 : total;
                }
            }
        }
        return total;
    }

    @Override
    int endOfInput() throws IOException {
        throw new EOFException(
                state == State.DATA
                        ? "the connection closed inside a chunk of the body"
                        : "the connection closed inside the chunked body framing");
    }

    private String line(int max) throws IOException {
        return conn.readLine(
                max,
                "chunked body framing exceeds " + max + " bytes",
                "the connection closed inside the chunked body framing");
    }

    /** The hex size before any {@code ;extension}; up to 15 hex digits (leading zeros aside). */
    static long parseSize(String line) throws HttpProtocolException {
        int end = 0;
        long size = 0;
        int significant = 0;
        while (end < line.length()) {
            int digit = Character.digit(line.charAt(end), 16);
            if (digit < 0) {
                break;
            }
            if (size > 0 || digit > 0) {
                significant++;
            }
            size = size * 16 + digit;
            end++;
            if (significant > 15) {
                throw new HttpProtocolException("malformed chunked body: chunk size too large");
            }
        }
        if (end == 0) {
            throw malformedSize(line);
        }
        int i = end;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i < line.length() && line.charAt(i) != ';') {
            throw malformedSize(line);
        }
        return size;
    }

    private static HttpProtocolException malformedSize(String line) {
        String shown = line.length() <= 40 ? line : line.substring(0, 40) + "...";
        return new HttpProtocolException(
                "malformed chunked body: bad chunk size '" + RequestEncoder.printable(shown) + "'");
    }
}
