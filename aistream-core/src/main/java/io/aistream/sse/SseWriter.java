package io.aistream.sse;

import java.io.Flushable;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes Server-Sent Events as UTF-8 bytes, straight into an {@link OutputStream} or a
 * {@link ByteBuffer}, through one reusable internal buffer (no intermediate strings or byte
 * arrays per call).
 *
 * <p>A block is built from field calls ({@link #writeId}, {@link #writeEvent}, {@link #writeRetry},
 * {@link #writeData}, {@link #writeDataUtf8}, {@link #writeComment}) and closed with
 * {@link #endEvent()}, the blank line that makes a receiver dispatch it; {@link #write(SseEvent)}
 * does all of that for one event. Fields are written as {@code name: value} and lines end with
 * LF. Line breaks (CR, LF or CRLF) inside data or a comment start a new {@code data:} or comment
 * line, so a receiver gets them back as LF. Characters are encoded as UTF-8; a lone surrogate is
 * written as U+FFFD (bytes {@code EF BF BD}).
 *
 * <p><b>Output.</b> Bytes collect in the internal buffer and are handed on when it fills, at every
 * {@link #endEvent()}, and at {@link #flush()}; only {@code flush()} also flushes the stream.
 *
 * <p><b>Ownership.</b> A writer made with {@link #SseWriter(OutputStream)} owns the stream:
 * {@link #close()} flushes and closes it. To keep the stream open, {@link #flush()} and drop the
 * writer. I/O errors are thrown as {@link UncheckedIOException}; after one, the writer's pending
 * bytes are lost and it should not be used again.
 *
 * <p><b>Threading.</b> Not thread-safe: one thread at a time.
 */
public final class SseWriter implements Flushable, AutoCloseable {
    /** The buffer starts small (a gateway holds one writer per open stream) and grows to this. */
    private static final int BUFFER_SIZE = 8192;

    private static final int INITIAL_BUFFER_SIZE = 256;
    private static final byte LF = '\n';
    private static final byte[] ID = {'i', 'd', ':', ' '};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't', ':', ' '};
    private static final byte[] RETRY = {'r', 'e', 't', 'r', 'y', ':', ' '};
    private static final byte[] DATA = {'d', 'a', 't', 'a', ':', ' '};
    private static final byte[] COMMENT = {':'};

    private final ByteSink sink;
    private byte[] buf = new byte[INITIAL_BUFFER_SIZE];
    private int pos;
    private boolean closed;

    /** The id a receiver holds after what was written; {@code null} while it is {@link #lastIdNumber}. */
    private String lastId = "";

    private long lastIdNumber;

    /** A writer into {@code out}, which it owns (see the class documentation). */
    public SseWriter(OutputStream out) {
        this(new ByteSink.ToStream(out));
    }

    private SseWriter(ByteSink sink) {
        this.sink = sink;
    }

    /**
     * A writer that puts bytes into {@code target} from its position on, advancing the position.
     * Bytes reach the buffer at every {@link #endEvent()} and {@link #flush()} (and earlier when the
     * 8 KiB internal buffer fills). If they do not fit into the remaining space, the call throws
     * {@link BufferOverflowException}, the pending bytes are dropped and the buffer is left as it
     * was before that transfer (an event larger than the internal buffer may then be partly in
     * it). {@link #close()} leaves the buffer alone.
     */
    public static SseWriter to(ByteBuffer target) {
        return new SseWriter(new ByteSink.ToBuffer(target));
    }

    /**
     * Writes an {@code id} field.
     *
     * @throws IllegalArgumentException if {@code id} contains CR, LF or U+0000
     */
    public SseWriter writeId(String id) {
        ensureOpen();
        requireSingleLine(id, "id", true);
        writeSingleLine(ID, id);
        lastId = id;
        return this;
    }

    /** Writes an {@code id} field whose value is the decimal digits of {@code id}. */
    public SseWriter writeId(long id) {
        ensureOpen();
        putAscii(ID);
        putDecimal(id);
        put(LF);
        lastId = null;
        lastIdNumber = id;
        return this;
    }

    /**
     * Writes an {@code event} field, the event type.
     *
     * @throws IllegalArgumentException if {@code name} contains CR or LF
     */
    public SseWriter writeEvent(String name) {
        ensureOpen();
        requireSingleLine(name, "event", false);
        writeSingleLine(EVENT, name);
        return this;
    }

    /**
     * Writes a {@code retry} field, the reconnection time.
     *
     * @throws IllegalArgumentException if {@code millis} is negative
     */
    public SseWriter writeRetry(long millis) {
        ensureOpen();
        if (millis < 0) {
            throw new IllegalArgumentException("retry must not be negative, was " + millis);
        }
        putAscii(RETRY);
        putDecimal(millis);
        put(LF);
        return this;
    }

    /**
     * Writes a comment: {@code ':'} followed by the text as is (no space is added), one comment
     * line per line of {@code text}.
     */
    public SseWriter writeComment(String text) {
        ensureOpen();
        writeLines(COMMENT, text);
        return this;
    }

    /**
     * Writes {@code data} as one {@code data} field per line: CR, LF and CRLF end a line
     * ({@code "a\r\nb"} is two lines). An empty string writes one empty data line, so the event
     * is still dispatched with empty data.
     */
    public SseWriter writeData(String data) {
        ensureOpen();
        writeLines(DATA, data);
        return this;
    }

    /** Writes all of {@code utf8} as data; see {@link #writeDataUtf8(byte[], int, int)}. */
    public SseWriter writeDataUtf8(byte[] utf8) {
        return writeDataUtf8(utf8, 0, utf8.length);
    }

    /**
     * Writes already encoded UTF-8 bytes (JSON, say) as data, split into {@code data} lines at CR,
     * LF and CRLF bytes like {@link #writeData(String)}. The bytes are copied as given, not
     * validated.
     */
    public SseWriter writeDataUtf8(byte[] utf8, int off, int len) {
        Objects.checkFromIndexSize(off, len, utf8.length);
        ensureOpen();
        int end = off + len;
        int start = off;
        while (true) {
            int eol = LineScanner.indexOfLineEnd(utf8, start, end);
            int stop = eol < 0 ? end : eol;
            putAscii(DATA);
            putBytes(utf8, start, stop - start);
            put(LF);
            if (eol < 0) {
                return this;
            }
            start = utf8[eol] == '\r' && eol + 1 < end && utf8[eol + 1] == '\n' ? eol + 2 : eol + 1;
        }
    }

    /** Ends the block with a blank line and hands the pending bytes on (without flushing). */
    public SseWriter endEvent() {
        ensureOpen();
        put(LF);
        drain();
        return this;
    }

    /**
     * Writes one whole event and ends it: an {@code id} field only if the event's last event id
     * differs from the one this writer last wrote ({@code ""} at first), an {@code event} field
     * unless the type is {@code "message"} or empty, a {@code retry} field if present, then the
     * data. Decoding the output gives back the written events.
     *
     * @throws IllegalArgumentException if the id or event type cannot be written
     */
    public SseWriter write(SseEvent event) {
        ensureOpen();
        String id = event.lastEventId();
        String type = event.event();
        requireSingleLine(id, "id", true);
        requireSingleLine(type, "event", false); // both checked before anything is written
        if (lastId == null) {
            lastId = Long.toString(lastIdNumber);
        }
        if (!id.equals(lastId)) {
            writeSingleLine(ID, id);
            lastId = id;
        }
        if (!type.isEmpty() && !type.equals("message")) {
            writeSingleLine(EVENT, type);
        }
        if (event.retry().isPresent()) {
            writeRetry(event.retry().getAsLong());
        }
        writeData(event.data());
        return endEvent();
    }

    /**
     * Hands the pending bytes on and flushes the stream.
     *
     * @throws UncheckedIOException    if the stream fails
     * @throws BufferOverflowException if the target buffer has no room
     */
    @Override
    public void flush() {
        ensureOpen();
        drain();
        sink.flush();
    }

    /** Flushes, then closes the stream (for a buffer target, only flushes). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            drain();
            sink.flush();
        } finally {
            closed = true;
            sink.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the SSE writer is closed");
        }
    }

    private static void requireSingleLine(String value, String field, boolean rejectNul) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("SSE " + field + " must not contain CR or LF");
            }
            if (c == 0 && rejectNul) {
                throw new IllegalArgumentException("SSE " + field + " must not contain U+0000");
            }
        }
    }

    private void writeSingleLine(byte[] prefix, String value) {
        putAscii(prefix);
        encodeLine(value, 0);
        put(LF);
    }

    /** Writes {@code text} as lines, each starting with {@code prefix}. */
    private void writeLines(byte[] prefix, String text) {
        int n = text.length();
        int start = 0;
        while (true) {
            putAscii(prefix);
            int stop = encodeLine(text, start);
            put(LF);
            if (stop == n) {
                return;
            }
            start = text.charAt(stop) == '\r' && stop + 1 < n && text.charAt(stop + 1) == '\n' ? stop + 2 : stop + 1;
        }
    }

    /**
     * Encodes {@code s} from {@code from} as UTF-8 up to its end or its next CR or LF.
     *
     * @return the index where encoding stopped: {@code s.length()} or that of the CR or LF
     */
    private int encodeLine(String s, int from) {
        byte[] b = buf;
        int p = pos;
        int n = s.length();
        int i = from;
        while (i < n) {
            if (p > b.length - 4) {
                pos = p;
                if (!grow(4)) {
                    drain();
                }
                b = buf;
                p = pos;
            }
            char c = s.charAt(i);
            if (c < 0x80) {
                // A run of ASCII needs one byte per char: no room check inside it.
                int runEnd = Math.min(n, i + (b.length - p));
                while (c < 0x80 && c != '\n' && c != '\r') {
                    b[p++] = (byte) c;
                    if (++i == runEnd) {
                        break;
                    }
                    c = s.charAt(i);
                }
                if (c == '\n' || c == '\r') {
                    break;
                }
                continue;
            }
            if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(low = s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, low);
                    b[p++] = (byte) (0xF0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (cp & 0x3F));
                    i++;
                } else {
                    b[p++] = (byte) 0xEF; // U+FFFD for a lone surrogate
                    b[p++] = (byte) 0xBF;
                    b[p++] = (byte) 0xBD;
                }
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
            i++;
        }
        pos = p;
        return i;
    }

    private void putDecimal(long value) {
        ensureRoom(20); // "-9223372036854775808"
        byte[] b = buf;
        if (value < 0) {
            b[pos++] = '-';
        }
        long rest = value < 0 ? value : -value; // negative, so that Long.MIN_VALUE works too
        int start = pos;
        do {
            b[pos++] = (byte) ('0' - rest % 10);
            rest /= 10;
        } while (rest != 0);
        for (int lo = start, hi = pos - 1; lo < hi; lo++, hi--) {
            byte t = b[lo];
            b[lo] = b[hi];
            b[hi] = t;
        }
    }

    private void put(byte x) {
        ensureRoom(1);
        buf[pos++] = x;
    }

    private void putAscii(byte[] bytes) {
        ensureRoom(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void putBytes(byte[] b, int off, int len) {
        if (len > buf.length - pos && !grow(len)) {
            drain();
            if (len > buf.length) {
                sink.write(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    private void ensureRoom(int n) {
        if (n > buf.length - pos && !grow(n)) {
            drain();
        }
    }

    /** Grows the buffer towards {@link #BUFFER_SIZE}; true if {@code n} more bytes now fit. */
    private boolean grow(int n) {
        if (buf.length >= BUFFER_SIZE) {
            return false;
        }
        int size = Math.min(BUFFER_SIZE, Math.max(buf.length * 2, pos + n));
        buf = Arrays.copyOf(buf, size);
        return size - pos >= n;
    }

    /** Hands the pending bytes to the sink; they are dropped if that fails. */
    private void drain() {
        int n = pos;
        if (n > 0) {
            pos = 0;
            sink.write(buf, 0, n);
        }
    }
}
