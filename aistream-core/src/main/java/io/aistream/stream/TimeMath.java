package io.aistream.stream;

import java.time.Duration;

/** Saturating nanosecond arithmetic and duration wording shared by the timed operators. */
final class TimeMath {
    private TimeMath() {}

    /** The duration in nanoseconds, clamped to [0, Long.MAX_VALUE]. */
    static long nonNegativeNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    /** a + b for b ≥ 0, saturating at Long.MAX_VALUE. */
    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return (b > 0 && r < a) ? Long.MAX_VALUE : r;
    }

    /** A short human wording: "30 s", "250 ms", "1500 µs" or "7 ns". */
    static String describe(Duration d) {
        long nanos = nonNegativeNanos(d);
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + " ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + " µs";
        }
        return nanos + " ns";
    }

    /** Requires a strictly positive duration. */
    static Duration requirePositive(Duration d, String name) {
        if (d == null) {
            throw new NullPointerException(name);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }
}
