package io.aistream.sse;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A push-style decoder of a {@code text/event-stream}: the WHATWG HTML "event stream
 * interpretation", byte-exact, fed with bytes as they arrive.
 *
 * <p>Feed the stream's bytes with the {@code feed} methods, split any way; call {@link #end()} when
 * the stream ends. Every dispatched event, comment and valid {@code retry} field reaches the
 * {@link SseListener} from inside the {@code feed} call that completed it — an event is dispatched
 * as soon as its blank line has been fed, without waiting for further input. The splits never
 * change what is reported: UTF-8 sequences, the byte order mark and CRLF pairs may be split
 * across calls.
 *
 * <ul>
 *   <li>The stream is decoded as UTF-8; a leading byte order mark is skipped (only at the very
 *       start), and ill-formed bytes become U+FFFD as the WHATWG "UTF-8 decode" does.</li>
 *   <li>Lines end with CR, LF or CRLF. Comment lines start with {@code ':'}. Field names are
 *       case-sensitive; unknown fields are ignored.</li>
 *   <li>The last event id persists across events until an {@code id} field changes it; an id
 *       containing U+0000 is ignored. The event type resets to {@code "message"} after each blank
 *       line.</li>
 *   <li>At {@link #end()} an unfinished line and an undispatched event are discarded.</li>
 * </ul>
 *
 * <p><b>Limits.</b> A line or event data beyond the {@link SseLimits} fails the decoder with an
 * {@link SseLimitExceededException}; buffers never grow past the limits. A failed decoder throws
 * that exception type again on every later {@code feed} or {@code end}.
 *
 * <p><b>Bytes.</b> A listener that is an {@link SseDataListener} takes well-formed events' data as
 * bytes in the decoder's buffer instead of as an {@link SseEvent}, so no String is built per event.
 *
 * <p><b>Threading.</b> Not thread-safe: one thread at a time, and the listener must not call back
 * into the decoder. The decoder keeps no reference to the arrays or buffers it is fed.
 */
public final class SseDecoder {
    private static final int INITIAL_LINE_CAPACITY = 256;
    private static final int INITIAL_DATA_CAPACITY = 1024;
    private static final int SCRATCH_CAPACITY = 8192;
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static final int OPEN = 0;
    private static final int ENDED = 1;
    private static final int FAILED = 2;

    private final SseListener listener;
    /** The listener again when it takes data as bytes; null otherwise. */
    private final SseDataListener dataListener;

    private final int maxLineBytes;
    private final int maxEventBytes;

    /** The current line when it spans more than one feed. */
    private byte[] line;

    private int lineLen;
    /** The data buffer of the current block, as UTF-8, each line followed by LF. */
    private byte[] data;

    private int dataLen;
    /** The event type buffer, as UTF-8; empty means "message". */
    private byte[] type = new byte[16];

    private int typeLen;
    private byte[] cachedTypeBytes = {'m', 'e', 's', 's', 'a', 'g', 'e'};
    private String cachedType = "message";

    private String lastEventId = "";
    private long blockRetry = -1;
    private long reconnectionTime = -1;

    /** The previous feed ended with a CR: an LF at the start of the next one belongs to it. */
    private boolean skipLf;
    /** How many bytes of a leading BOM have been seen; 3 once the question is settled. */
    private int bomState;

    private int state = OPEN;
    private SseLimitExceededException.Limit failedLimit;
    private byte[] scratch;

    /** A decoder with the {@link SseLimits#DEFAULTS default limits}. */
    public SseDecoder(SseListener listener) {
        this(listener, SseLimits.DEFAULTS);
    }

    /** A decoder that reports to {@code listener} and enforces {@code limits}. */
    public SseDecoder(SseListener listener, SseLimits limits) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.dataListener = listener instanceof SseDataListener d ? d : null;
        this.maxLineBytes = limits.maxLineBytes();
        this.maxEventBytes = limits.maxEventBytes();
        this.line = new byte[Math.min(INITIAL_LINE_CAPACITY, maxLineBytes)];
        this.data = new byte[Math.min(INITIAL_DATA_CAPACITY, maxEventBytes)];
    }

    /** Feeds all of {@code b}. */
    public void feed(byte[] b) {
        feed(b, 0, b.length);
    }

    /**
     * Feeds {@code len} bytes of {@code b} from {@code off}.
     *
     * @throws SseLimitExceededException if a limit is exceeded, now or earlier
     * @throws IllegalStateException     if {@link #end()} was called
     */
    public void feed(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        int i = off;
        int end = off + len;
        if (bomState < BOM.length) {
            i = skipBom(b, i, end);
        }
        if (skipLf && i < end) {
            skipLf = false;
            if (b[i] == LF) {
                i++;
            }
        }
        scan(b, i, end);
    }

    /**
     * Feeds the remaining bytes of {@code buffer}; on return its position equals its limit.
     *
     * @throws SseLimitExceededException if a limit is exceeded, now or earlier
     * @throws IllegalStateException     if {@link #end()} was called
     */
    public void feed(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int pos = buffer.position();
            int n = buffer.remaining();
            feed(buffer.array(), buffer.arrayOffset() + pos, n);
            buffer.position(pos + n);
            return;
        }
        ensureOpen();
        if (scratch == null) {
            scratch = new byte[SCRATCH_CAPACITY];
        }
        while (buffer.hasRemaining()) {
            int n = Math.min(buffer.remaining(), scratch.length);
            buffer.get(scratch, 0, n);
            feed(scratch, 0, n);
        }
    }

    /**
     * Ends the stream: an unfinished line and an event not yet closed by a blank line are
     * discarded. Later feeds throw {@link IllegalStateException}; calling {@code end} again does
     * nothing.
     *
     * @throws SseLimitExceededException if the decoder failed earlier
     */
    public void end() {
        if (state == FAILED) {
            throw failure();
        }
        state = ENDED;
        lineLen = 0;
        dataLen = 0;
        typeLen = 0;
        blockRetry = -1;
    }

    /** The last event id buffer: the value of the latest valid {@code id} field, {@code ""} if none. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The reconnection time set by the latest valid {@code retry} field, if any. */
    public OptionalLong reconnectionTime() {
        return reconnectionTime < 0 ? OptionalLong.empty() : OptionalLong.of(reconnectionTime);
    }

    /** Bytes currently allocated for buffering; for tests. */
    int bufferCapacity() {
        return line.length + data.length + type.length;
    }

    private void ensureOpen() {
        if (state != OPEN) {
            if (state == FAILED) {
                throw failure();
            }
            throw new IllegalStateException("the SSE decoder has already ended");
        }
    }

    private SseLimitExceededException fail(SseLimitExceededException.Limit limit) {
        state = FAILED;
        failedLimit = limit;
        line = new byte[0];
        data = new byte[0];
        lineLen = 0;
        dataLen = 0;
        return failure();
    }

    private SseLimitExceededException failure() {
        long value = failedLimit == SseLimitExceededException.Limit.MAX_LINE_BYTES ? maxLineBytes : maxEventBytes;
        return new SseLimitExceededException(failedLimit, value);
    }

    /** Consumes the part of a leading byte order mark found at {@code b[i..end)}. */
    private int skipBom(byte[] b, int i, int end) {
        while (i < end && bomState < BOM.length) {
            if (b[i] != BOM[bomState]) {
                // Not a BOM after all: the bytes matched so far start the first line.
                int matched = bomState;
                bomState = BOM.length;
                appendLine(BOM, 0, matched);
                return i;
            }
            bomState++;
            i++;
        }
        return i;
    }

    private void scan(byte[] b, int i, int end) {
        while (i < end) {
            int eol = LineScanner.indexOfLineEnd(b, i, end);
            if (eol < 0) {
                appendLine(b, i, end - i);
                return;
            }
            if (lineLen == 0) {
                if (eol - i > maxLineBytes) {
                    throw fail(SseLimitExceededException.Limit.MAX_LINE_BYTES);
                }
                processLine(b, i, eol);
            } else {
                appendLine(b, i, eol - i);
                int n = lineLen;
                lineLen = 0;
                processLine(line, 0, n);
            }
            i = eol + 1;
            if (b[eol] == CR) {
                if (i == end) {
                    skipLf = true;
                } else if (b[i] == LF) {
                    i++;
                }
            }
        }
    }

    private void appendLine(byte[] src, int off, int n) {
        if (n > maxLineBytes - lineLen) {
            throw fail(SseLimitExceededException.Limit.MAX_LINE_BYTES);
        }
        int needed = lineLen + n;
        if (needed > line.length) {
            line = Arrays.copyOf(line, grow(line.length, needed, maxLineBytes));
        }
        System.arraycopy(src, off, line, lineLen, n);
        lineLen = needed;
    }

    private static int grow(int capacity, int needed, int max) {
        return (int) Math.min(max, Math.max(needed, 2L * capacity));
    }

    /** Interprets one line, {@code b[start..end)}, without its terminator. */
    private void processLine(byte[] b, int start, int end) {
        if (start == end) {
            dispatch();
            return;
        }
        if (b[start] == ':') {
            listener.onComment(Utf8.decode(b, start + 1, end - start - 1));
            return;
        }
        // Only names of at most five bytes matter, so look for the colon in the first six.
        int searchEnd = Math.min(end, start + 6);
        int colon = start;
        while (colon < searchEnd && b[colon] != ':') {
            colon++;
        }
        if (colon == searchEnd && searchEnd != end) {
            return; // an unknown field with a long name
        }
        int nameLen = colon - start;
        int value = colon;
        if (colon < end) {
            value++;
            if (value < end && b[value] == ' ') {
                value++;
            }
        }
        switch (nameLen) {
            case 4 -> {
                if (b[start] == 'd' && b[start + 1] == 'a' && b[start + 2] == 't' && b[start + 3] == 'a') {
                    appendData(b, value, end);
                }
            }
            case 5 -> {
                if (b[start] == 'e'
                        && b[start + 1] == 'v'
                        && b[start + 2] == 'e'
                        && b[start + 3] == 'n'
                        && b[start + 4] == 't') {
                    setType(b, value, end);
                } else if (b[start] == 'r'
                        && b[start + 1] == 'e'
                        && b[start + 2] == 't'
                        && b[start + 3] == 'r'
                        && b[start + 4] == 'y') {
                    retry(b, value, end);
                }
            }
            case 2 -> {
                if (b[start] == 'i' && b[start + 1] == 'd') {
                    id(b, value, end);
                }
            }
            default -> {
                // unknown field: ignored
            }
        }
    }

    private void appendData(byte[] b, int from, int to) {
        int n = to - from;
        if (n >= maxEventBytes - dataLen) { // dataLen + n + 1 > maxEventBytes
            throw fail(SseLimitExceededException.Limit.MAX_EVENT_BYTES);
        }
        int needed = dataLen + n + 1;
        if (needed > data.length) {
            data = Arrays.copyOf(data, grow(data.length, needed, maxEventBytes));
        }
        System.arraycopy(b, from, data, dataLen, n);
        data[needed - 1] = LF;
        dataLen = needed;
    }

    private void setType(byte[] b, int from, int to) {
        int n = to - from;
        if (n > type.length) {
            type = new byte[Math.max(n, 2 * type.length)];
        }
        System.arraycopy(b, from, type, 0, n);
        typeLen = n;
    }

    private void id(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return; // an id containing U+0000 is ignored
            }
        }
        lastEventId = from == to ? "" : Utf8.decode(b, from, to - from);
    }

    private void retry(byte[] b, int from, int to) {
        if (from == to) {
            return;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                return;
            }
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        blockRetry = value;
        reconnectionTime = value;
        listener.onRetry(value);
    }

    private void dispatch() {
        long retry = blockRetry;
        blockRetry = -1;
        if (dataLen == 0) {
            typeLen = 0;
            return;
        }
        int length = dataLen - 1;
        String eventType = typeLen == 0 ? "message" : typeString();
        dataLen = 0;
        typeLen = 0;
        if (dataListener != null && Utf8.isWellFormed(data, 0, length)) {
            // the bytes stay in the buffer until the next line is fed, after this call returns
            dataListener.onEventData(eventType, data, 0, length);
            return;
        }
        String eventData = Utf8.decode(data, 0, length);
        listener.onEvent(new SseEvent(
                eventType, eventData, lastEventId, retry < 0 ? OptionalLong.empty() : OptionalLong.of(retry)));
    }

    /** The event type buffer as a string; the previous one is reused when the bytes repeat. */
    private String typeString() {
        if (!Arrays.equals(type, 0, typeLen, cachedTypeBytes, 0, cachedTypeBytes.length)) {
            cachedTypeBytes = Arrays.copyOf(type, typeLen);
            cachedType = Utf8.decode(type, 0, typeLen);
        }
        return cachedType;
    }
}
