package io.aistream.provider.transport.internal;

import java.io.EOFException;
import java.io.IOException;

/** A body of {@code Content-Length} bytes (0 for 204 and 304). */
final class LengthBody extends ResponseBody {
    private final long length;
    private long remaining;

    LengthBody(HttpConnection conn, Owner owner, boolean keepAlive, long length) {
        super(conn, owner, keepAlive);
        this.length = length;
        this.remaining = length;
    }

    @Override
    int bufferedBodyBytes() {
        return (int) Math.min(conn.buffered(), remaining);
    }

    @Override
    int endOfInput() throws IOException {
        throw new EOFException("the connection closed after " + (length - remaining) + " of " + length + " body bytes");
    }

    @Override
    int readBody(byte[] b, int off, int len, boolean blocking) throws IOException {
        if (remaining == 0) {
            ended();
            return -1;
        }
        int want = (int) Math.min(len, remaining);
        int n = blocking ? conn.read(b, off, want) : conn.readBuffered(b, off, want);
        if (n < 0) {
            throw new EOFException(
                    "the connection closed after " + (length - remaining) + " of " + length + " body bytes");
        }
        remaining -= n;
        if (remaining == 0) {
            ended();
        }
        return n;
    }
}
