package io.aistream.bench.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes an HTTP/1.1 chunked body from a (buffered) stream. {@link #read(byte[], int, int)}
 * returns body bytes as soon as any are available, never waiting to fill the buffer, and -1 after
 * the last chunk and trailers — leaving the underlying stream at the next message. An end of the
 * connection inside the body is an {@link EOFException}. Does not close the underlying stream.
 */
public final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long chunkRemaining;
    private boolean done;

    public ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    /** Whether the terminating zero-size chunk has been read. */
    public boolean finished() {
        return done;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (chunkRemaining == 0) {
            chunkRemaining = readSize();
            if (chunkRemaining == 0) {
                skipTrailers();
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        chunkRemaining -= n;
        if (chunkRemaining == 0) {
            expectCrlf();
        }
        return n;
    }

    private long readSize() throws IOException {
        long size = 0;
        int digits = 0;
        int c;
        while (true) {
            c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed before a chunk size");
            }
            int d = Character.digit(c, 16);
            if (d < 0) {
                break;
            }
            if (++digits > 15) {
                throw new IOException("chunk size too long");
            }
            size = size * 16 + d;
        }
        if (digits == 0) {
            throw new IOException("malformed chunk size");
        }
        while (c != '\n') { // chunk extensions and CR
            c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed in a chunk header");
            }
        }
        return size;
    }

    private void expectCrlf() throws IOException {
        int c = in.read();
        if (c == '\r') {
            c = in.read();
        }
        if (c != '\n') {
            throw new IOException(c < 0 ? "connection closed after a chunk" : "missing CRLF after a chunk");
        }
    }

    private void skipTrailers() throws IOException {
        int lineLength = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed in the trailers");
            }
            if (c == '\n') {
                if (lineLength == 0) {
                    return;
                }
                lineLength = 0;
            } else if (c != '\r') {
                lineLength++;
            }
        }
    }
}
