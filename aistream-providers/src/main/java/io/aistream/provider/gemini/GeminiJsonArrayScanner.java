package io.aistream.provider.gemini;

import io.aistream.sse.SseLimitExceededException;
import java.util.Arrays;

/**
 * Splits a JSON array that arrives in pieces ({@code [{...}\r\n,\r\n{...}\r\n]}) into its object
 * elements, handing each to the {@link Sink} as soon as its closing brace has been fed.
 *
 * <p>Works on bytes: it tracks nesting depth and whether it is inside a string (with escapes), so
 * braces inside strings are not counted. Every structural character is ASCII and no byte of a
 * multi-byte UTF-8 sequence is below 0x80, so splits inside characters are harmless. An element
 * larger than the limit throws {@link SseLimitExceededException} ({@code maxEventBytes}); the
 * buffer never grows past it. Not thread-safe.
 */
final class GeminiJsonArrayScanner {

    /** Receives what the scanner finds. */
    interface Sink {
        /** One complete element: {@code buf[off, off + len)}, valid only during the call. */
        void element(byte[] buf, int off, int len);

        /** The array's closing bracket. */
        void arrayEnd();

        /** The bytes are not a JSON array of objects; the scanner stops. */
        void malformed(String why);
    }

    private enum State {
        BEFORE_ARRAY,
        BEFORE_ELEMENT,
        AFTER_ELEMENT,
        IN_ELEMENT,
        ENDED,
        FAILED
    }

    private final Sink sink;
    private final int maxElementBytes;
    private State state = State.BEFORE_ARRAY;
    private byte[] buf = new byte[1024];
    private int len;
    private int depth;
    private boolean inString;
    private boolean escaped;

    GeminiJsonArrayScanner(Sink sink, int maxElementBytes) {
        this.sink = sink;
        this.maxElementBytes = maxElementBytes;
    }

    /** Whether an element has begun but not closed. */
    boolean inElement() {
        return state == State.IN_ELEMENT;
    }

    /** Whether the closing bracket has been seen. */
    boolean ended() {
        return state == State.ENDED;
    }

    void feed(byte[] b, int off, int n) {
        int i = off;
        int end = off + n;
        while (i < end) {
            switch (state) {
                case IN_ELEMENT -> i = scanElement(b, i, end);
                case ENDED, FAILED -> {
                    return;
                }
                default -> between(b[i++]);
            }
        }
    }

    private void between(byte c) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            return;
        }
        switch (state) {
            case BEFORE_ARRAY -> {
                if (c == '[') {
                    state = State.BEFORE_ELEMENT;
                } else {
                    fail("expected '[' to open the JSON array, found " + describe(c));
                }
            }
            case BEFORE_ELEMENT -> {
                if (c == '{') {
                    startElement();
                } else if (c == ']') {
                    end();
                } else {
                    fail("expected an object in the JSON array, found " + describe(c));
                }
            }
            case AFTER_ELEMENT -> {
                if (c == ',') {
                    state = State.BEFORE_ELEMENT;
                } else if (c == ']') {
                    end();
                } else {
                    fail("expected ',' or ']' after an array element, found " + describe(c));
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void startElement() {
        state = State.IN_ELEMENT;
        len = 0;
        depth = 1;
        inString = false;
        escaped = false;
        append(new byte[] {'{'}, 0, 1);
    }

    /** Scans element bytes from {@code i}; returns where scanning stopped. */
    private int scanElement(byte[] b, int i, int end) {
        int start = i;
        while (i < end) {
            byte c = b[i++];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                append(b, start, i - start);
                state = State.AFTER_ELEMENT;
                sink.element(buf, 0, len);
                len = 0;
                return i;
            }
        }
        append(b, start, i - start);
        return i;
    }

    private void append(byte[] b, int off, int n) {
        if (n > maxElementBytes - len) {
            state = State.FAILED;
            buf = new byte[0];
            len = 0;
            throw new SseLimitExceededException(SseLimitExceededException.Limit.MAX_EVENT_BYTES, maxElementBytes);
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(maxElementBytes, Math.max(len + n, 2L * buf.length)));
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void end() {
        state = State.ENDED;
        sink.arrayEnd();
    }

    private void fail(String why) {
        state = State.FAILED;
        sink.malformed(why);
    }

    private static String describe(byte c) {
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02x", c & 0xFF);
    }
}
