package io.aistream.sse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding exactly as the WHATWG Encoding standard's "UTF-8 decode" does it: every maximal
 * ill-formed subsequence becomes one U+FFFD.
 *
 * <p>The JDK decoder agrees on well-formed input but groups some ill-formed sequences differently
 * (for example a lead byte {@code ED} followed by {@code A0..BF}). Well-formed input never decodes
 * to a U+FFFD except from an encoded U+FFFD, so the JDK result is kept unless it contains one, and
 * only then is the line decoded again by the slow, exact path.
 */
final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGHS = 0x8080808080808080L;

    private Utf8() {}

    /**
     * Whether {@code b[off..off+len)} is well-formed UTF-8 (no overlong forms, no surrogates, nothing
     * above U+10FFFF, no truncated sequence): exactly the input the WHATWG decoder turns into text
     * without a U+FFFD it did not read. ASCII is checked eight bytes at a time.
     */
    static boolean isWellFormed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i <= end - Long.BYTES && ((long) LONGS.get(b, i) & HIGHS) == 0) {
            i += Long.BYTES;
        }
        while (i < end) {
            int x = b[i] & 0xFF;
            if (x < 0x80) {
                i++;
                continue;
            }
            int needed;
            int lower = 0x80;
            int upper = 0xBF;
            if (x >= 0xC2 && x <= 0xDF) {
                needed = 1;
            } else if (x >= 0xE0 && x <= 0xEF) {
                needed = 2;
                if (x == 0xE0) {
                    lower = 0xA0;
                } else if (x == 0xED) {
                    upper = 0x9F;
                }
            } else if (x >= 0xF0 && x <= 0xF4) {
                needed = 3;
                if (x == 0xF0) {
                    lower = 0x90;
                } else if (x == 0xF4) {
                    upper = 0x8F;
                }
            } else {
                return false;
            }
            if (i + needed >= end) {
                return false; // truncated
            }
            int second = b[i + 1] & 0xFF;
            if (second < lower || second > upper) {
                return false;
            }
            for (int k = 2; k <= needed; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += needed + 1;
        }
        return true;
    }

    static String decode(byte[] b, int off, int len) {
        String s = new String(b, off, len, StandardCharsets.UTF_8);
        // For a Latin-1 (compact) string this check is constant time.
        return s.indexOf('\uFFFD') < 0 ? s : decodeExact(b, off, len);
    }

    /** The WHATWG UTF-8 decoder, run to the end of the given range (no BOM handling). */
    static String decodeExact(byte[] b, int off, int len) {
        StringBuilder out = new StringBuilder(len);
        int codePoint = 0;
        int needed = 0;
        int seen = 0;
        int lower = 0x80;
        int upper = 0xBF;
        int end = off + len;
        int i = off;
        while (i < end) {
            int x = b[i] & 0xFF;
            if (needed == 0) {
                i++;
                if (x <= 0x7F) {
                    out.append((char) x);
                } else if (x >= 0xC2 && x <= 0xDF) {
                    needed = 1;
                    codePoint = x & 0x1F;
                } else if (x >= 0xE0 && x <= 0xEF) {
                    if (x == 0xE0) {
                        lower = 0xA0;
                    } else if (x == 0xED) {
                        upper = 0x9F;
                    }
                    needed = 2;
                    codePoint = x & 0x0F;
                } else if (x >= 0xF0 && x <= 0xF4) {
                    if (x == 0xF0) {
                        lower = 0x90;
                    } else if (x == 0xF4) {
                        upper = 0x8F;
                    }
                    needed = 3;
                    codePoint = x & 0x07;
                } else {
                    out.append('\uFFFD');
                }
                continue;
            }
            if (x < lower || x > upper) {
                // The byte is not consumed: it is looked at again as the start of a new sequence.
                codePoint = 0;
                needed = 0;
                seen = 0;
                lower = 0x80;
                upper = 0xBF;
                out.append('\uFFFD');
                continue;
            }
            i++;
            lower = 0x80;
            upper = 0xBF;
            codePoint = (codePoint << 6) | (x & 0x3F);
            if (++seen == needed) {
                out.appendCodePoint(codePoint);
                codePoint = 0;
                needed = 0;
                seen = 0;
            }
        }
        if (needed != 0) {
            out.append('\uFFFD');
        }
        return out.toString();
    }
}
