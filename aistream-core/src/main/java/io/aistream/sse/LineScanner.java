package io.aistream.sse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Finds line terminators (CR or LF bytes), eight bytes at a time. */
final class LineScanner {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = ONES * '\n';
    private static final long CRS = ONES * '\r';

    private LineScanner() {}

    /** The index of the first CR or LF in {@code b[from..to)}, or -1. */
    static int indexOfLineEnd(byte[] b, int from, int to) {
        int i = from;
        while (i <= to - Long.BYTES) {
            long word = (long) LONGS.get(b, i);
            long found = zeroBytes(word ^ LFS) | zeroBytes(word ^ CRS);
            if (found != 0) {
                // The lowest flagged byte is exact (little-endian: it is the first in memory).
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += Long.BYTES;
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** High bit set in the lowest byte that is zero (bits above it may be spurious). */
    private static long zeroBytes(long v) {
        return (v - ONES) & ~v & HIGHS;
    }
}
