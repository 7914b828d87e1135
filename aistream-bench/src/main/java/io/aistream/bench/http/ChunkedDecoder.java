package io.aistream.bench.http;

import java.io.IOException;

/**
 * A push-style decoder of an HTTP/1.1 chunked body: fed bytes as they arrive, split anywhere,
 * it hands the body's bytes to a {@link Sink} without copying and notices the last chunk.
 */
public final class ChunkedDecoder {
    /** Receives body bytes (valid only during the call). */
    @FunctionalInterface
    public interface Sink {
        void data(byte[] b, int off, int len);
    }

    private static final int SIZE = 0;
    private static final int EXT = 1;
    private static final int DATA = 2;
    private static final int DATA_CR = 3;
    private static final int DATA_LF = 4;
    private static final int TRAILER = 5;
    private static final int DONE = 6;

    private int state = SIZE;
    private long remaining;
    private int digits;
    private int trailerLineLength;

    public boolean done() {
        return state == DONE;
    }

    public void reset() {
        state = SIZE;
        remaining = 0;
        digits = 0;
        trailerLineLength = 0;
    }

    /**
     * Feeds {@code b[off, off+len)}; returns how many bytes belonged to this body (fewer than
     * {@code len} only once it is {@link #done()}).
     *
     * @throws IOException if the framing is malformed
     */
    public int feed(byte[] b, int off, int len, Sink sink) throws IOException {
        int i = off;
        int end = off + len;
        while (i < end && state != DONE) {
            switch (state) {
                case SIZE -> {
                    int d = Character.digit(b[i], 16);
                    if (d >= 0) {
                        if (++digits > 15) {
                            throw new IOException("chunk size too long");
                        }
                        remaining = remaining * 16 + d;
                        i++;
                    } else {
                        if (digits == 0) {
                            throw new IOException("malformed chunk size");
                        }
                        state = EXT;
                    }
                }
                case EXT -> {
                    if (b[i++] == '\n') {
                        digits = 0;
                        state = remaining == 0 ? TRAILER : DATA;
                        trailerLineLength = 0;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    sink.data(b, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = DATA_CR;
                    }
                }
                case DATA_CR -> {
                    byte c = b[i++];
                    if (c == '\r') {
                        state = DATA_LF;
                    } else if (c == '\n') {
                        state = SIZE;
                    } else {
                        throw new IOException("missing CRLF after a chunk");
                    }
                }
                case DATA_LF -> {
                    if (b[i++] != '\n') {
                        throw new IOException("missing LF after a chunk");
                    }
                    state = SIZE;
                }
                case TRAILER -> {
                    byte c = b[i++];
                    if (c == '\n') {
                        if (trailerLineLength == 0) {
                            state = DONE;
                        }
                        trailerLineLength = 0;
                    } else if (c != '\r') {
                        trailerLineLength++;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return i - off;
    }
}
