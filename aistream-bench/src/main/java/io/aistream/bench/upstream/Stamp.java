package io.aistream.bench.upstream;

/**
 * The send stamp the fake upstream puts at the start of every content delta:
 * {@code |SSSSSS:TTTTTTTTTTTTTTTTTTT|} — 28 ASCII characters, the chunk's sequence number within
 * its stream (six digits, modulo 10^6) and its send time (nineteen digits).
 *
 * <p><b>The clock.</b> The time is {@link System#nanoTime()}. Java only promises that it is
 * comparable within one JVM, but on Linux HotSpot reads {@code CLOCK_MONOTONIC} without an offset
 * (nanoseconds since boot), so readings taken by different JVMs on one machine are comparable:
 * a client subtracting a stamp from its own {@code nanoTime()} gets how late the chunk arrived.
 * {@code StampTest} checks this assumption against a second JVM. Other platforms may not hold it;
 * the load generator then reports negative latencies (counted separately) or absurd ones.
 *
 * <p>Stamps survive any relay that passes the delta text through, and when a relay merges deltas
 * (coalescing backpressure) each merged chunk keeps its own stamp, so {@link #scan} finds them all.
 */
public final class Stamp {
    /** Characters in one stamp. */
    public static final int LENGTH = 28;

    static final int SEQ_DIGITS = 6;
    static final int TIME_DIGITS = 19;
    private static final int SEQ_MODULO = 1_000_000;

    private Stamp() {}

    /** Receives the stamps {@link #scan} finds. */
    @FunctionalInterface
    public interface Sink {
        void stamp(int seq, long sentNanos);
    }

    /** Writes a stamp into {@code buf} at {@code off} (ASCII bytes). */
    public static void write(byte[] buf, int off, int seq, long sentNanos) {
        buf[off] = '|';
        writeDigits(buf, off + 1, SEQ_DIGITS, Math.floorMod(seq, SEQ_MODULO));
        buf[off + 1 + SEQ_DIGITS] = ':';
        writeDigits(buf, off + 2 + SEQ_DIGITS, TIME_DIGITS, Math.max(0, sentNanos));
        buf[off + LENGTH - 1] = '|';
    }

    /** The stamp as a string, for tests and logs. */
    public static String format(int seq, long sentNanos) {
        byte[] b = new byte[LENGTH];
        write(b, 0, seq, sentNanos);
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void writeDigits(byte[] buf, int off, int digits, long value) {
        for (int i = off + digits - 1; i >= off; i--) {
            buf[i] = (byte) ('0' + (value % 10));
            value /= 10;
        }
    }

    /** Finds every stamp in {@code text} and reports it, in order; returns how many were found. */
    public static int scan(CharSequence text, Sink sink) {
        int found = 0;
        int n = text.length();
        int i = 0;
        while (i + LENGTH <= n) {
            if (text.charAt(i) != '|') {
                i++;
                continue;
            }
            long seq = digits(text, i + 1, SEQ_DIGITS);
            long time = seq < 0 || text.charAt(i + 1 + SEQ_DIGITS) != ':' || text.charAt(i + LENGTH - 1) != '|'
                    ? -1
                    : digits(text, i + 2 + SEQ_DIGITS, TIME_DIGITS);
            if (time < 0) {
                i++;
                continue;
            }
            sink.stamp((int) seq, time);
            found++;
            i += LENGTH;
        }
        return found;
    }

    private static long digits(CharSequence s, int from, int count) {
        long v = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
