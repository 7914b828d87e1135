package io.aistream.chunk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A reusable encoder of chunks to their UTF-8 JSON form (see {@link ChunkJson}) for hot paths such
 * as SSE: each {@link #encode(StreamChunk)} writes one chunk into an internal byte buffer that is
 * reused by the next call, so encoding allocates nothing in the steady state.
 *
 * <p>The output is byte-for-byte the same as {@link ChunkJson#toJsonBytes(StreamChunk)} and as
 * {@link ChunkJson#write(StreamChunk, tools.jackson.core.JsonGenerator)} on a default Jackson
 * generator: control characters, {@code "} and {@code \} are escaped (short escapes where JSON has
 * them, otherwise {@code \}{@code u00XX} in upper-case hex), a lone surrogate is written as its
 * {@code \}{@code uXXXX} escape, every other character as plain UTF-8.
 *
 * <p><b>Not thread-safe.</b> Use one instance per thread or per stream. The array returned by
 * {@link #buffer()} is only valid until the next {@code encode}.
 *
 * <pre>{@code
 * ChunkJsonWriter json = new ChunkJsonWriter();
 * for (StreamChunk c : stream) {
 *     out.write(DATA_PREFIX);
 *     json.encode(c);
 *     json.writeTo(out);
 *     out.write(EVENT_END);
 * }
 * }</pre>
 */
public final class ChunkJsonWriter {
    /** Buffers grown past this by one huge chunk are given back on the next encode. */
    private static final int MAX_RETAINED_CAPACITY = 64 * 1024;

    private static final int DEFAULT_CAPACITY = 256;

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** For ASCII: 0 = write as is, -1 = six-character unicode escape, else the short escape letter. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = -1;
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    private static final byte[] ID = ascii("{\"id\":");
    private static final byte[] SEQ = ascii(",\"seq\":");
    private static final byte[] CONTENT = ascii(",\"type\":\"content\",\"delta\":");
    private static final byte[] REASONING = ascii(",\"type\":\"reasoning\",\"delta\":");
    private static final byte[] TOOL_CALL = ascii(",\"type\":\"tool_call\",\"toolCall\":{\"index\":");
    private static final byte[] CALL_ID = ascii(",\"id\":");
    private static final byte[] NAME = ascii(",\"name\":");
    private static final byte[] ARGUMENTS = ascii(",\"argumentsDelta\":");
    private static final byte[] ERROR = ascii(",\"type\":\"error\",\"error\":{\"code\":");
    private static final byte[] MESSAGE = ascii(",\"message\":");
    private static final byte[] RETRYABLE_TRUE = ascii(",\"retryable\":true");
    private static final byte[] RETRYABLE_FALSE = ascii(",\"retryable\":false");
    private static final byte[] PROVIDER = ascii(",\"provider\":");
    private static final byte[] STATUS = ascii(",\"status\":");
    private static final byte[] DONE = ascii(",\"type\":\"done\",\"finishReason\":");
    private static final byte[] USAGE = ascii(",\"usage\":{\"inputTokens\":");
    private static final byte[] OUTPUT_TOKENS = ascii(",\"outputTokens\":");
    private static final byte[] TOTAL_TOKENS = ascii(",\"totalTokens\":");
    private static final byte[] CACHE_READ = ascii(",\"cacheReadTokens\":");
    private static final byte[] CACHE_WRITE = ascii(",\"cacheWriteTokens\":");
    private static final byte[] REASONING_TOKENS = ascii(",\"reasoningTokens\":");
    private static final byte[] STATE = ascii(",\"state\":{\"source\":");
    private static final byte[] SIGNATURE = ascii(",\"signature\":");
    private static final byte[] REDACTED = ascii(",\"redacted\":");
    private static final byte[] ITEM_ID = ascii(",\"itemId\":");
    private static final byte[] ENCRYPTED = ascii(",\"encryptedContent\":");
    private static final byte[] COST = ascii(",\"cost\":");
    private static final byte[] MODEL = ascii(",\"model\":");
    private static final byte[] FULL_CONTENT = ascii(",\"content\":");
    private static final byte[] REFUSAL = ascii(",\"refusal\":");
    private static final byte[] DROPPED = ascii(",\"dropped\":");
    private static final byte[] RECOVERED = ascii(",\"recovered\":true");
    private static final byte[] TYPE = ascii(",\"type\":");
    private static final byte[][] FINISH_REASONS = new byte[FinishReason.values().length][];

    static {
        for (FinishReason r : FinishReason.values()) {
            FINISH_REASONS[r.ordinal()] = ascii("\"" + r.wireName() + "\"");
        }
    }

    private final int initialCapacity;
    private byte[] buf;
    private int len;

    /** A writer with a small initial buffer that grows as needed. */
    public ChunkJsonWriter() {
        this(DEFAULT_CAPACITY);
    }

    /** A writer whose buffer starts at {@code initialCapacity} bytes (at least 16). */
    public ChunkJsonWriter(int initialCapacity) {
        this.initialCapacity = Math.max(16, initialCapacity);
        this.buf = new byte[this.initialCapacity];
    }

    /**
     * Encodes {@code chunk}, replacing what the buffer held before.
     *
     * @return the number of bytes now in {@link #buffer()}
     */
    public int encode(StreamChunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (buf.length > MAX_RETAINED_CAPACITY) {
            buf = new byte[initialCapacity];
        }
        len = 0;
        raw(ID);
        string(chunk.id());
        raw(SEQ);
        number(chunk.seq());
        switch (chunk) {
            case ContentChunk c -> {
                raw(CONTENT);
                string(c.delta());
                state(c.state());
            }
            case ReasoningChunk r -> {
                raw(REASONING);
                string(r.delta());
                state(r.state());
            }
            case ToolCallChunk t -> {
                toolCall(t.toolCall());
                state(t.state());
            }
            case ErrorChunk e -> error(e.error());
            case DoneChunk d -> done(d);
            case UnknownChunk u -> unknown(u);
        }
        ensure(1);
        buf[len++] = '}';
        return len;
    }

    /** The internal buffer; the JSON is in bytes {@code [0, length())}. Valid until the next encode. */
    public byte[] buffer() {
        return buf;
    }

    /** The number of bytes the last {@link #encode} produced. */
    public int length() {
        return len;
    }

    /** Writes the last encoded chunk to {@code out}, without flushing. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
    }

    /** The last encoded chunk as a read-only view of the internal buffer; valid until the next encode. */
    public ByteBuffer byteBuffer() {
        return ByteBuffer.wrap(buf, 0, len).asReadOnlyBuffer();
    }

    /** A copy of the last encoded chunk's bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** The last encoded chunk as a string. */
    public String asString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    private void toolCall(ToolCallDelta t) {
        raw(TOOL_CALL);
        number(t.index());
        optionalString(CALL_ID, t.callId());
        optionalString(NAME, t.name());
        if (!t.argumentsDelta().isEmpty()) {
            raw(ARGUMENTS);
            string(t.argumentsDelta());
        }
        ensure(1);
        buf[len++] = '}';
    }

    private void state(Optional<ReasoningState> state) {
        if (state.isEmpty()) {
            return;
        }
        ReasoningState st = state.get();
        raw(STATE);
        string(st.source());
        optionalString(SIGNATURE, st.signature());
        optionalString(REDACTED, st.redacted());
        optionalString(ITEM_ID, st.itemId());
        optionalString(ENCRYPTED, st.encryptedContent());
        ensure(1);
        buf[len++] = '}';
    }

    private void error(ChunkError e) {
        raw(ERROR);
        string(e.code());
        raw(MESSAGE);
        string(e.message());
        raw(e.retryable() ? RETRYABLE_TRUE : RETRYABLE_FALSE);
        optionalString(PROVIDER, e.provider());
        if (e.status().isPresent()) {
            raw(STATUS);
            number(e.status().getAsInt());
        }
        ensure(1);
        buf[len++] = '}';
    }

    private void done(DoneChunk d) {
        raw(DONE);
        raw(FINISH_REASONS[d.finishReason().ordinal()]);
        if (d.usage().isPresent()) {
            Usage u = d.usage().get();
            raw(USAGE);
            number(u.inputTokens());
            raw(OUTPUT_TOKENS);
            number(u.outputTokens());
            raw(TOTAL_TOKENS);
            number(u.totalTokens());
            if (u.cacheReadTokens() > 0) {
                raw(CACHE_READ);
                number(u.cacheReadTokens());
            }
            if (u.cacheWriteTokens() > 0) {
                raw(CACHE_WRITE);
                number(u.cacheWriteTokens());
            }
            if (u.reasoningTokens() > 0) {
                raw(REASONING_TOKENS);
                number(u.reasoningTokens());
            }
            ensure(1);
            buf[len++] = '}';
        }
        optionalString(PROVIDER, d.provider());
        optionalString(MODEL, d.model());
        optionalString(FULL_CONTENT, d.content());
        optionalString(REFUSAL, d.refusal());
        if (d.dropped() > 0) {
            raw(DROPPED);
            number(d.dropped());
        }
        if (d.recovered()) {
            raw(RECOVERED);
        }
        if (d.cost().isPresent()) {
            raw(COST);
            raw(ascii(d.cost().get().toPlainString()));
        }
    }

    private void unknown(UnknownChunk u) {
        raw(TYPE);
        string(u.wireType());
        String fields = u.fields();
        if (fields.length() > 2) {
            // compact object text (see UnknownChunk): its inside continues this object
            byte[] bytes = fields.getBytes(StandardCharsets.UTF_8);
            ensure(bytes.length - 1);
            buf[len++] = ',';
            System.arraycopy(bytes, 1, buf, len, bytes.length - 2);
            len += bytes.length - 2;
        }
    }

    private void optionalString(byte[] name, Optional<String> value) {
        if (value.isPresent()) {
            raw(name);
            string(value.get());
        }
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void number(long value) {
        ensure(20);
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                raw(ascii(Long.toString(value)));
                return;
            }
            buf[len++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int pos = len + digits;
        len = pos;
        do {
            buf[--pos] = (byte) ('0' + (int) (value % 10));
            value /= 10;
        } while (value != 0);
    }

    /** Writes {@code s} as a quoted, escaped JSON string in UTF-8. */
    private void string(String s) {
        int n = s.length();
        ensure(n + 2);
        byte[] b = buf;
        int p = len;
        b[p++] = '"';
        int i = 0;
        // Fast path: plain ASCII needing no escape, one byte per char, capacity already ensured.
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x80 || ESCAPES[c] != 0) {
                break;
            }
            b[p++] = (byte) c;
            i++;
        }
        len = p;
        if (i < n) {
            stringSlow(s, i);
        }
        ensure(1);
        buf[len++] = '"';
    }

    private void stringSlow(String s, int from) {
        int n = s.length();
        for (int i = from; i < n; i++) {
            ensure(6);
            byte[] b = buf;
            char c = s.charAt(i);
            if (c < 0x80) {
                byte escape = ESCAPES[c];
                if (escape == 0) {
                    b[len++] = (byte) c;
                } else if (escape > 0) {
                    b[len++] = '\\';
                    b[len++] = escape;
                } else {
                    unicodeEscape(c);
                }
            } else if (c < 0x800) {
                b[len++] = (byte) (0xC0 | (c >> 6));
                b[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[len++] = (byte) (0xF0 | (cp >> 18));
                b[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[len++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate has no UTF-8 form; its escape keeps the Java string intact.
                unicodeEscape(c);
            } else {
                b[len++] = (byte) (0xE0 | (c >> 12));
                b[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[len++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    private void unicodeEscape(char c) {
        byte[] b = buf;
        b[len++] = '\\';
        b[len++] = 'u';
        b[len++] = HEX[(c >> 12) & 0xF];
        b[len++] = HEX[(c >> 8) & 0xF];
        b[len++] = HEX[(c >> 4) & 0xF];
        b[len++] = HEX[c & 0xF];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            long wanted = Math.max((long) len + extra, (long) buf.length * 2);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("chunk JSON too large");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
