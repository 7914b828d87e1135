package io.aistream.provider.ollama;

import io.aistream.sse.SseLimitExceededException;
import java.util.Arrays;

/**
 * Splits a byte stream into LF-terminated lines (a CR before the LF is dropped), handing each
 * complete line's bytes to the {@link Sink}; the bytes are decoded only once a line is complete, so
 * UTF-8 characters split across reads stay whole. Lines longer than the limit throw
 * {@link SseLimitExceededException} ({@code maxLineBytes}); the buffer never grows past it. Not
 * thread-safe.
 */
final class NdjsonLineSplitter {

    /** Receives complete lines. */
    interface Sink {
        /** One line without its terminator: {@code buf[off, off + len)}, valid only during the call. */
        void line(byte[] buf, int off, int len);
    }

    /** A test of a line's bytes. */
    interface LineTest {
        boolean test(byte[] buf, int off, int len);
    }

    private final Sink sink;
    private final int maxLineBytes;
    private byte[] buf = new byte[256];
    private int len;

    NdjsonLineSplitter(Sink sink, int maxLineBytes) {
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
    }

    void feed(byte[] b, int off, int n) {
        int i = off;
        int end = off + n;
        while (i < end) {
            int lf = indexOfLf(b, i, end);
            if (lf < 0) {
                append(b, i, end - i);
                return;
            }
            if (len == 0) {
                emit(b, i, lf - i);
            } else {
                append(b, i, lf - i);
                int total = len;
                len = 0;
                emit(buf, 0, total);
            }
            i = lf + 1;
        }
    }

    /** Whether bytes of an unterminated line are buffered. */
    boolean hasPartialLine() {
        return len > 0;
    }

    /**
     * Hands over the unterminated last line (the body ended without a final LF) when {@code test}
     * accepts its bytes, else drops it.
     */
    void flushIf(LineTest test) {
        int total = len;
        len = 0;
        if (total > 0 && test.test(buf, 0, total)) {
            emit(buf, 0, total);
        }
    }

    private void emit(byte[] b, int off, int n) {
        if (n > maxLineBytes) {
            throw tooLong();
        }
        int length = n > 0 && b[off + n - 1] == '\r' ? n - 1 : n;
        sink.line(b, off, length);
    }

    private void append(byte[] b, int off, int n) {
        if (n > maxLineBytes - len) {
            throw tooLong();
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(maxLineBytes, Math.max(len + n, 2L * buf.length)));
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private SseLimitExceededException tooLong() {
        buf = new byte[0];
        len = 0;
        return new SseLimitExceededException(SseLimitExceededException.Limit.MAX_LINE_BYTES, maxLineBytes);
    }

    private static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
