package io.aistream.provider.support;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A small, strict, resettable JSON pull reader over UTF-8 bytes or a {@link String}, for decoders
 * that read one provider event after another and must not allocate a parser per event.
 *
 * <p><b>Use.</b> One instance per decoder; {@link #reset(byte[], int, int)} it with each payload's
 * UTF-8 bytes (the fast path: an SSE event's data straight from the decoder's buffer) or
 * {@link #reset(String)} it with a payload string, then pull
 * tokens with {@link #nextToken()} / {@link #nextName()} and read the current one with
 * {@link #getString()}, {@link #textEquals(String)}, {@link #getIntValue()}, {@link #getLongValue()}
 * or skip it with {@link #skipChildren()}. Apart from the Strings a caller asks for (values, and
 * property names the first time they are seen) and the growth of its reusable scratch buffers (for
 * escaped or non-ASCII strings, and for the UTF-8 form of a {@code String} payload), reading
 * allocates nothing. Not thread-safe.
 *
 * <p><b>Bytes.</b> A byte payload must be well-formed UTF-8 (an SSE decoder hands over only that);
 * an ill-formed sequence inside a string reads as U+FFFD and never fails. The cursor does not keep
 * the array past the next {@code reset}, and reads it only during calls: the caller may reuse it
 * afterwards. Offsets ({@link #tokenStart()}, {@link MalformedJsonException#offset()}) count the
 * payload text's characters (UTF-16 units) either way, so errors read the same for both forms.
 *
 * <p><b>Accepts</b> exactly RFC 8259 JSON text: one value (usually an object) surrounded by optional
 * space, tab, CR and LF. It rejects, with a {@link MalformedJsonException} naming the problem and
 * the offset, trailing or missing commas, missing colons, unknown escapes, unescaped
 * control characters in strings, unterminated strings, leading zeros, a leading {@code +},
 * {@code NaN}/{@code Infinity}, single quotes, comments, any content after the root value, nesting
 * deeper than {@value #MAX_DEPTH}, numbers longer than {@value #MAX_NUMBER_LENGTH} digits and names
 * longer than {@value #MAX_NAME_LENGTH} characters (the same limits as Jackson's defaults). Like
 * Jackson it accepts a {@code \}{@code u} escape of an unpaired surrogate and yields that char.
 * Strings are checked as the cursor passes them, read or skipped. Messages never quote the input.
 */
public final class JsonCursor {
    /** The deepest nesting of objects and arrays accepted. */
    public static final int MAX_DEPTH = 500;
    /** The most digits a number may have. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** The longest property name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 50_000;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * 0x20;

    private static final int NAME_CACHE_BITS = 8;
    private static final int NAME_CACHE_SIZE = 1 << NAME_CACHE_BITS;
    private static final int NAME_PROBES = 8;

    /** A cursor over the empty input; {@code reset} it with each payload. */
    public JsonCursor() {}

    /** The kinds of token, after Jackson's. */
    public enum Token {
        START_OBJECT,
        END_OBJECT,
        START_ARRAY,
        END_ARRAY,
        PROPERTY_NAME,
        STRING,
        NUMBER_INT,
        NUMBER_FLOAT,
        TRUE,
        FALSE,
        NULL
    }

    /** The input is not well-formed JSON; the message names the problem and its offset. */
    public static final class MalformedJsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int offset;

        public MalformedJsonException(String problem, int offset) {
            super(problem + " at offset " + offset);
            this.offset = offset;
        }

        /** The character offset into the payload where the problem was found. */
        public int offset() {
            return offset;
        }
    }

    private static final byte[] EMPTY = new byte[0];
    /** Scratch buffers beyond this size are dropped at the next reset, so one huge event does not pin memory. */
    private static final int RETAINED_SCRATCH = 64 * 1024;

    /** The payload as UTF-8: the caller's array, or {@link #utf8} holding a String payload's encoding. */
    private byte[] in = EMPTY;
    /** Whether the payload came as a String: offsets are then reported in characters. */
    private boolean fromString;
    /** The UTF-8 encoding of the last String payload (reused). */
    private byte[] utf8 = EMPTY;

    private int start;
    private int pos;
    private int end;
    private Token current;
    /** Open containers; bit set = object. */
    private final long[] objects = new long[(MAX_DEPTH + 64) / 64];

    private int depth;
    private boolean rootDone;
    /** The current token's span in the input (for strings and names, the content between the quotes). */
    private int tokenStart;

    private int tokenEnd;
    private int textStart;
    private int textEnd;
    private boolean textEscaped;
    /** Whether the current string's raw text has a non-ASCII byte. */
    private boolean textNonAscii;

    private String name;
    private final String[] names = new String[NAME_CACHE_SIZE];
    /** The bytes of {@link #names}, slot for slot, compared with the input by an intrinsic. */
    private final byte[][] nameBytes = new byte[NAME_CACHE_SIZE][];

    private char[] scratch = new char[64];

    /** Starts reading {@code json} from its beginning, forgetting the previous payload. */
    public void reset(String json) {
        int n = encode(json);
        start(utf8, 0, n, true);
    }

    /**
     * Starts reading the UTF-8 JSON text in {@code bytes[off..off+len)} from its beginning, forgetting
     * the previous payload. The bytes are read in place (not copied): leave them unchanged until the
     * next {@code reset}.
     */
    public void reset(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        start(bytes, off, off + len, false);
    }

    private void start(byte[] bytes, int from, int to, boolean string) {
        if (scratch.length > RETAINED_SCRATCH) {
            scratch = new char[64];
        }
        in = bytes;
        fromString = string;
        start = from;
        pos = from;
        end = to;
        current = null;
        depth = 0;
        rootDone = false;
        tokenStart = tokenEnd = from;
        name = null;
    }

    /**
     * Encodes {@code s} into {@link #utf8} and returns the length. Unpaired surrogates are kept as
     * their three-byte form (not replaced), so the cursor reads back exactly the chars it was given.
     */
    private int encode(String s) {
        int len = s.length();
        if (utf8.length > RETAINED_SCRATCH && len * 3 <= RETAINED_SCRATCH) {
            utf8 = EMPTY;
        }
        if (utf8.length < len) {
            utf8 = new byte[Math.max(len, Math.min(2 * utf8.length, Integer.MAX_VALUE - 8))];
        }
        byte[] out = utf8;
        int n = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (n == out.length) {
                    out = utf8 = grow(out, n + (len - i) * 3);
                }
                out[n++] = (byte) c;
                continue;
            }
            if (n + 4 > out.length) {
                out = utf8 = grow(out, n + (len - i) * 3 + 1);
            }
            if (c < 0x800) {
                out[n++] = (byte) (0xC0 | c >> 6);
                out[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[n++] = (byte) (0xF0 | cp >> 18);
                out[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | cp & 0x3F);
            } else {
                out[n++] = (byte) (0xE0 | c >> 12);
                out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return n;
    }

    private static byte[] grow(byte[] b, int needed) {
        return Arrays.copyOf(b, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * b.length)));
    }

    /** The current token, or null before the first and after the last. */
    public Token currentToken() {
        return current;
    }

    /**
     * Advances to the next token and returns it, or null at the end of the input after the root value.
     *
     * @throws MalformedJsonException if the input is not well-formed there
     */
    public Token nextToken() {
        int c = skipSpace();
        if (depth == 0) {
            if (rootDone) {
                if (c < 0) {
                    return current = null;
                }
                throw error("unexpected content after the root value", pos);
            }
            if (c < 0) {
                throw error("no JSON value in the input", pos);
            }
            return value(c);
        }
        if (c < 0) {
            throw error("unexpected end of input inside an " + (inObject() ? "object" : "array"), pos);
        }
        if (inObject()) {
            if (current == Token.PROPERTY_NAME) {
                if (c != ':') {
                    throw error("expected ':' after a property name", pos);
                }
                pos++;
                c = skipSpace();
                if (c < 0) {
                    throw error("unexpected end of input, expected a value", pos);
                }
                return value(c);
            }
            if (c == '}') {
                return close(Token.END_OBJECT);
            }
            if (current != Token.START_OBJECT) {
                if (c != ',') {
                    throw error("expected ',' or '}' after an object member", pos);
                }
                pos++;
                c = skipSpace();
                if (c == '}') {
                    throw error("trailing comma in an object", pos);
                }
            }
            if (c != '"') {
                throw error(
                        c < 0
                                ? "unexpected end of input, expected a property name"
                                : "expected a property name in double quotes",
                        pos);
            }
            return propertyName();
        }
        if (c == ']') {
            return close(Token.END_ARRAY);
        }
        if (current != Token.START_ARRAY) {
            if (c != ',') {
                throw error("expected ',' or ']' after an array element", pos);
            }
            pos++;
            c = skipSpace();
            if (c == ']') {
                throw error("trailing comma in an array", pos);
            }
            if (c < 0) {
                throw error("unexpected end of input, expected a value", pos);
            }
        }
        return value(c);
    }

    /**
     * Advances to the next token; if it is a property name returns the name, else null (the token is
     * then current, e.g. {@link Token#END_OBJECT}). Names are cached per instance, so a name seen
     * before is returned without allocating.
     */
    public String nextName() {
        return nextToken() == Token.PROPERTY_NAME ? name : null;
    }

    /**
     * The current token's text: a string's decoded value, a property name, or a number as written.
     *
     * @throws IllegalStateException on any other token
     */
    public String getString() {
        if (current == Token.STRING) {
            if (!textEscaped && !textNonAscii) {
                return new String(in, textStart, textEnd - textStart, StandardCharsets.ISO_8859_1);
            }
            int n = unescape(); // may grow the scratch buffer
            return new String(scratch, 0, n);
        }
        if (current == Token.PROPERTY_NAME) {
            return name;
        }
        if (current == Token.NUMBER_INT || current == Token.NUMBER_FLOAT) {
            return new String(in, tokenStart, tokenEnd - tokenStart, StandardCharsets.ISO_8859_1);
        }
        throw new IllegalStateException("no text for " + current);
    }

    /** Whether the current string (or property name) token's decoded value equals {@code s}, without allocating. */
    public boolean textEquals(String s) {
        if (current == Token.PROPERTY_NAME) {
            return name.equals(s);
        }
        if (current != Token.STRING) {
            throw new IllegalStateException("no string text for " + current);
        }
        if (!textEscaped && !textNonAscii) {
            // ASCII text equals s only if s has the same length and the same (ASCII) chars.
            int len = textEnd - textStart;
            if (len != s.length()) {
                return false;
            }
            byte[] b = in;
            for (int i = 0; i < len; i++) {
                if (b[textStart + i] != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
        int len = unescape();
        if (len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (scratch[i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The current {@link Token#NUMBER_INT} as an int.
     *
     * @throws MalformedJsonException if it does not fit in an int (Jackson fails there too)
     */
    public int getIntValue() {
        long v = integer(10);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error("number out of the range of int", tokenStart);
        }
        return (int) v;
    }

    /**
     * The current {@link Token#NUMBER_INT} as a long.
     *
     * @throws MalformedJsonException if it does not fit in a long
     */
    public long getLongValue() {
        return integer(19);
    }

    /**
     * The current value as a token count: a non-negative integer, or -1 for anything else (null, a
     * negative or non-integer number, a string; an object or array is skipped).
     */
    public long count() {
        if (current == Token.NUMBER_INT) {
            long v = getLongValue();
            return v >= 0 ? v : -1;
        }
        skipChildren();
        return -1;
    }

    /**
     * The count ({@link #count()}) in field {@code wanted} of the current object, the object's other
     * fields skipped; -1 when it is absent or the current value is not an object (then skipped).
     * Reads {@code *_tokens_details} objects of OpenAI usage.
     */
    public long countIn(String wanted) {
        if (current != Token.START_OBJECT) {
            skipChildren();
            return -1;
        }
        long found = -1;
        String name;
        while ((name = nextName()) != null) {
            nextToken();
            if (name.equals(wanted)) {
                found = count();
            } else {
                skipChildren();
            }
        }
        return found;
    }

    /** The character offset of the current token's first character in the payload. */
    public int tokenStart() {
        return offsetOf(tokenStart);
    }

    /** The character offset just after the current token's last character in the payload. */
    public int tokenEnd() {
        return offsetOf(tokenEnd);
    }

    /**
     * An index into {@link #in} as a character offset into the payload's text, whichever form it came
     * in (counted only for errors and offsets asked for, never per token).
     */
    private int offsetOf(int index) {
        int chars = 0;
        byte[] b = in;
        for (int i = start; i < index; i++) {
            int x = b[i] & 0xFF;
            if ((x & 0xC0) != 0x80) {
                chars += x >= 0xF0 ? 2 : 1; // a four-byte sequence is a surrogate pair
            }
        }
        return chars;
    }

    /**
     * If the current token starts an object or array, advances to its matching end token (checking
     * everything in between); otherwise does nothing.
     */
    public void skipChildren() {
        if (current != Token.START_OBJECT && current != Token.START_ARRAY) {
            return;
        }
        int target = depth - 1;
        while (depth > target) {
            nextToken();
        }
    }

    /**
     * Skips the current value (see {@link #skipChildren()}) and returns its exact text in the input,
     * from its first to its last character.
     */
    public String skipValueRaw() {
        int from = tokenStart;
        skipChildren();
        return decode(from, tokenEnd);
    }

    /** The payload's text in {@code in[from..to)}, decoded. */
    private String decode(int from, int to) {
        if (!fromString) {
            return new String(in, from, to - from, StandardCharsets.UTF_8);
        }
        int n = decodeUtf8(from, to, 0);
        return new String(scratch, 0, n);
    }

    // ---- scanning ----

    private boolean inObject() {
        return (objects[(depth - 1) >>> 6] & (1L << (depth - 1))) != 0;
    }

    private int skipSpace() {
        byte[] s = in;
        int p = pos;
        int e = end;
        while (p < e) {
            int c = s[p] & 0xFF;
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                p++;
            } else {
                pos = p;
                if (c < 0x20) {
                    throw error(
                            "control character outside a string (only space, tab, CR and LF may separate tokens)", p);
                }
                return c;
            }
        }
        pos = p;
        return -1;
    }

    private Token close(Token token) {
        tokenStart = pos;
        tokenEnd = ++pos;
        depth--;
        if (depth == 0) {
            rootDone = true;
        }
        return current = token;
    }

    private Token open(Token token, boolean object) {
        if (depth == MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH, pos);
        }
        long bit = 1L << depth;
        if (object) {
            objects[depth >>> 6] |= bit;
        } else {
            objects[depth >>> 6] &= ~bit;
        }
        depth++;
        tokenStart = pos;
        tokenEnd = ++pos;
        return current = token;
    }

    private Token value(int c) {
        switch (c) {
            case '{' -> {
                return open(Token.START_OBJECT, true);
            }
            case '[' -> {
                return open(Token.START_ARRAY, false);
            }
            case '"' -> {
                tokenStart = pos;
                scanString();
                tokenEnd = pos;
                return scalar(Token.STRING);
            }
            case 't' -> {
                return literal("true", Token.TRUE);
            }
            case 'f' -> {
                return literal("false", Token.FALSE);
            }
            case 'n' -> {
                return literal("null", Token.NULL);
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character, expected a value", pos);
            }
        }
    }

    private Token scalar(Token token) {
        if (depth == 0) {
            rootDone = true;
        }
        return current = token;
    }

    private Token literal(String word, Token token) {
        int len = word.length();
        if (pos + len > end) {
            throw error("unrecognized token, expected a value", pos);
        }
        for (int i = 0; i < len; i++) {
            if (in[pos + i] != word.charAt(i)) {
                throw error("unrecognized token, expected a value", pos);
            }
        }
        tokenStart = pos;
        pos += len;
        tokenEnd = pos;
        return scalar(token);
    }

    private Token number() {
        byte[] s = in;
        int start = pos;
        int p = pos;
        if (s[p] == '-') {
            p++;
        }
        int digitsStart = p;
        if (p >= end || !isDigit(s[p])) {
            throw error("expected a digit after a minus sign", p);
        }
        if (s[p] == '0') {
            p++;
            if (p < end && isDigit(s[p])) {
                throw error("leading zeros are not allowed", start);
            }
        } else {
            while (p < end && isDigit(s[p])) {
                p++;
            }
        }
        int digits = p - digitsStart;
        boolean integer = true;
        if (p < end && s[p] == '.') {
            integer = false;
            p++;
            int f = p;
            while (p < end && isDigit(s[p])) {
                p++;
            }
            if (p == f) {
                throw error("a decimal point must be followed by a digit", p);
            }
            digits += p - f;
        }
        if (p < end && (s[p] == 'e' || s[p] == 'E')) {
            integer = false;
            p++;
            if (p < end && (s[p] == '+' || s[p] == '-')) {
                p++;
            }
            int x = p;
            while (p < end && isDigit(s[p])) {
                p++;
            }
            if (p == x) {
                throw error("an exponent must have a digit", p);
            }
        }
        if (digits > MAX_NUMBER_LENGTH) {
            throw error("number longer than " + MAX_NUMBER_LENGTH + " digits", start);
        }
        tokenStart = start;
        tokenEnd = pos = p;
        return scalar(integer ? Token.NUMBER_INT : Token.NUMBER_FLOAT);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** The current integer's value; its text is valid, so only overflow needs checking. */
    private long integer(int maxDigits) {
        if (current != Token.NUMBER_INT) {
            throw new IllegalStateException("not an integer: " + current);
        }
        byte[] s = in;
        int p = tokenStart;
        boolean negative = s[p] == '-';
        if (negative) {
            p++;
        }
        if (tokenEnd - p > maxDigits + 1) {
            throw error("number out of the range of " + (maxDigits == 10 ? "int" : "long"), tokenStart);
        }
        // Accumulate negatively so Long.MIN_VALUE fits.
        long v = 0;
        for (; p < tokenEnd; p++) {
            int d = s[p] - '0';
            if (v < (Long.MIN_VALUE + d) / 10) {
                throw error("number out of the range of long", tokenStart);
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                throw error("number out of the range of long", tokenStart);
            }
            v = -v;
        }
        return v;
    }

    /** Scans a string from its opening quote at {@code pos}; on return {@code pos} is after the closing quote. */
    private void scanString() {
        byte[] s = in;
        int p = pos + 1;
        int e = end;
        textStart = p;
        boolean escaped = false;
        int high = 0;
        long highs = 0;
        while (true) {
            // Eight bytes at a time up to the first quote, backslash or control byte: plain text is
            // most of a payload. Non-ASCII bytes pass; their high bits are gathered for textNonAscii.
            while (p <= e - Long.BYTES) {
                long word = (long) LONGS.get(s, p);
                long special = zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES) | belowSpace(word);
                if (special != 0) {
                    int skip = Long.numberOfTrailingZeros(special) >>> 3;
                    highs |= word & ((1L << (skip << 3)) - 1); // skip < 8: only the bytes passed over
                    p += skip;
                    break;
                }
                highs |= word;
                p += Long.BYTES;
            }
            if (p >= e) {
                throw error("unterminated string", pos);
            }
            byte c = s[p];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                escaped = true;
                p = checkEscape(p);
            } else if (c >= 0 && c < 0x20) {
                throw error("unescaped control character in a string", p);
            } else {
                high |= c; // negative once a byte is non-ASCII
                p++;
            }
        }
        textEnd = p;
        textEscaped = escaped;
        textNonAscii = high < 0 || (highs & HIGHS) != 0;
        pos = p + 1;
    }

    /**
     * High bit set in the lowest byte of {@code v} that is zero (bits above it may be spurious, from
     * the borrow, so only the lowest flagged byte is exact).
     */
    private static long zeroBytes(long v) {
        return (v - ONES) & ~v & HIGHS;
    }

    /** High bit set in the lowest byte of {@code v} below 0x20 (above it, spurious as in {@link #zeroBytes}). */
    private static long belowSpace(long v) {
        return (v - SPACES) & ~v & HIGHS;
    }

    /** Checks the escape at {@code p} (a backslash) and returns the offset after it. */
    private int checkEscape(int p) {
        if (p + 1 >= end) {
            throw error("unterminated string", p);
        }
        switch (in[p + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return p + 2;
            }
            case 'u' -> {
                for (int i = p + 2; i < p + 6; i++) {
                    if (i >= end) {
                        throw error("unterminated string", p);
                    }
                    if (hex(in[i]) < 0) {
                        throw error("invalid \\u escape (four hex digits expected)", p);
                    }
                }
                return p + 6;
            }
            default -> throw error("invalid escape in a string", p);
        }
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Decodes the current (already checked) string's text, escapes and UTF-8, into {@link #scratch};
     * returns its length.
     */
    private int unescape() {
        byte[] s = in;
        int from = textStart;
        int to = textEnd;
        if (scratch.length < to - from) {
            scratch = new char[Math.max(to - from, scratch.length * 2)];
        }
        int n = 0;
        int p = from;
        while (p < to) {
            byte c = s[p];
            if (c != '\\') {
                if (c >= 0) {
                    scratch[n++] = (char) c;
                    p++;
                    continue;
                }
                // a run of UTF-8 up to the next escape
                int q = p + 1;
                while (q < to && s[q] != '\\') {
                    q++;
                }
                n = decodeUtf8(p, q, n);
                p = q;
                continue;
            }
            char[] out = scratch;
            byte k = s[p + 1];
            switch (k) {
                case 'b' -> out[n++] = '\b';
                case 'f' -> out[n++] = '\f';
                case 'n' -> out[n++] = '\n';
                case 'r' -> out[n++] = '\r';
                case 't' -> out[n++] = '\t';
                case 'u' -> {
                    out[n++] = (char) (hex(s[p + 2]) << 12 | hex(s[p + 3]) << 8 | hex(s[p + 4]) << 4 | hex(s[p + 5]));
                    p += 4;
                }
                default -> out[n++] = (char) k;
            }
            p += 2;
        }
        return n;
    }

    /**
     * Decodes the UTF-8 in {@code in[from..to)} into {@link #scratch} from index {@code n} (which has
     * room: never more chars than bytes); returns the new length. A String payload's unpaired
     * surrogates come back as themselves; an ill-formed sequence of a byte payload becomes U+FFFD.
     */
    private int decodeUtf8(int from, int to, int n) {
        if (scratch.length < n + to - from) {
            scratch = Arrays.copyOf(scratch, Math.max(n + to - from, scratch.length * 2));
        }
        byte[] s = in;
        char[] out = scratch;
        int p = from;
        while (p < to) {
            int x = s[p] & 0xFF;
            if (x < 0x80) {
                out[n++] = (char) x;
                p++;
                continue;
            }
            int need;
            int cp;
            int min;
            if (x >= 0xC2 && x <= 0xDF) {
                need = 1;
                cp = x & 0x1F;
                min = 0x80;
            } else if (x >= 0xE0 && x <= 0xEF) {
                need = 2;
                cp = x & 0x0F;
                min = 0x800;
            } else if (x >= 0xF0 && x <= 0xF4) {
                need = 3;
                cp = x & 0x07;
                min = 0x10000;
            } else {
                out[n++] = '\uFFFD';
                p++;
                continue;
            }
            int q = p + 1;
            while (need > 0 && q < to && (s[q] & 0xC0) == 0x80) {
                cp = cp << 6 | s[q] & 0x3F;
                q++;
                need--;
            }
            p = q;
            if (need > 0 || cp < min || cp > 0x10FFFF) {
                out[n++] = '\uFFFD';
            } else if (cp >= 0x10000) {
                out[n++] = Character.highSurrogate(cp);
                out[n++] = Character.lowSurrogate(cp);
            } else {
                out[n++] = (char) cp; // a String payload's unpaired surrogate included
            }
        }
        return n;
    }

    private Token propertyName() {
        tokenStart = pos;
        scanString();
        tokenEnd = pos;
        int len = textEnd - textStart;
        if (len > MAX_NAME_LENGTH && !textNonAscii && !textEscaped) {
            throw error("property name longer than " + MAX_NAME_LENGTH + " characters", tokenStart);
        }
        current = Token.STRING;
        if (textEscaped || textNonAscii) {
            name = getString();
            if (name.length() > MAX_NAME_LENGTH) {
                throw error("property name longer than " + MAX_NAME_LENGTH + " characters", tokenStart);
            }
        } else {
            name = cachedName(textStart, len);
        }
        return current = Token.PROPERTY_NAME;
    }

    /** The ASCII name in {@code in[start..start+len)}, from the cache when seen before. */
    private String cachedName(int start, int len) {
        byte[] s = in;
        // A cheap hash (length and three bytes): a payload's few dozen names rarely collide, and a
        // collision only costs a probe.
        int h = len == 0 ? 0 : (len * 31 + s[start]) * 31 + s[start + (len >>> 1)];
        h = h * 31 + (len == 0 ? 0 : s[start + len - 1]);
        int home = (h ^ (h >>> 16)) * 0x9E3779B1 >>> (32 - NAME_CACHE_BITS);
        // Linear probing over a few slots; a name that finds none free displaces its home slot's.
        for (int i = 0; i < NAME_PROBES; i++) {
            int slot = (home + i) & (NAME_CACHE_SIZE - 1);
            byte[] cached = nameBytes[slot];
            if (cached == null) {
                return remember(slot, start, len);
            }
            if (Arrays.equals(s, start, start + len, cached, 0, cached.length)) {
                return names[slot];
            }
        }
        return remember(home, start, len);
    }

    private String remember(int slot, int start, int len) {
        nameBytes[slot] = Arrays.copyOfRange(in, start, start + len);
        return names[slot] = new String(in, start, len, StandardCharsets.ISO_8859_1);
    }

    private MalformedJsonException error(String problem, int index) {
        return new MalformedJsonException(problem, offsetOf(index));
    }
}
