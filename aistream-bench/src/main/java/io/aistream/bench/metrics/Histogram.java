package io.aistream.bench.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A log-linear histogram of non-negative {@code long} values (nanoseconds, in practice), safe to
 * record into from many threads at once.
 *
 * <p>Values below 256 are counted exactly; above that each power of two is split into 128 equal
 * sub-buckets, so a reported value is at most 1/128 (0.79 %) above the value recorded. The whole
 * {@code long} range fits in 7,296 buckets. Recording is a few arithmetic operations and one
 * atomic increment on one of several stripes (chosen by thread id), so virtual threads on
 * different carriers rarely contend. Negative values count as 0 and are tallied in
 * {@link Snapshot#negatives()}.
 */
public final class Histogram {
    static final int SUB_BITS = 7;
    static final int SUB = 1 << SUB_BITS;
    /** Bucket count: index of the largest long is (62 - 6) * 128 + 127. */
    static final int BUCKETS = (64 - SUB_BITS) * SUB;

    private static final int STRIPES = 8;
    private static final int SUM = BUCKETS;
    private static final int MAX = BUCKETS + 1;
    private static final int MIN = BUCKETS + 2;
    private static final int NEG = BUCKETS + 3;

    private final AtomicLongArray[] stripes = new AtomicLongArray[STRIPES];

    public Histogram() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = newStripe();
        }
    }

    private static AtomicLongArray newStripe() {
        AtomicLongArray a = new AtomicLongArray(BUCKETS + 4);
        a.set(MIN, Long.MAX_VALUE);
        return a;
    }

    /** Index of the bucket that holds {@code v} (v ≥ 0). */
    static int indexOf(long v) {
        if (v < 2 * SUB) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        int m = (int) (v >>> (e - SUB_BITS)) & (SUB - 1);
        return (e - SUB_BITS + 1) * SUB + m;
    }

    /** The highest value that falls in bucket {@code index}. */
    static long highestIn(int index) {
        if (index < 2 * SUB) {
            return index;
        }
        int e = index / SUB + SUB_BITS - 1;
        long m = index % SUB;
        long lower = (SUB + m) << (e - SUB_BITS);
        return lower + (1L << (e - SUB_BITS)) - 1;
    }

    /** Records one value. */
    public void record(long value) {
        AtomicLongArray s = stripes[(int) Thread.currentThread().threadId() & (STRIPES - 1)];
        if (value < 0) {
            s.incrementAndGet(NEG);
            value = 0;
        }
        s.incrementAndGet(indexOf(value));
        s.addAndGet(SUM, value);
        long max;
        while (value > (max = s.get(MAX)) && !s.compareAndSet(MAX, max, value)) {
            Thread.onSpinWait();
        }
        long min;
        while (value < (min = s.get(MIN)) && !s.compareAndSet(MIN, min, value)) {
            Thread.onSpinWait();
        }
    }

    /** Forgets everything recorded so far (not atomic with concurrent recording). */
    public void reset() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = newStripe();
        }
    }

    /** A consistent-enough copy of the counts so far. */
    public Snapshot snapshot() {
        long[] counts = new long[BUCKETS];
        long sum = 0;
        long max = 0;
        long min = Long.MAX_VALUE;
        long neg = 0;
        for (AtomicLongArray s : stripes) {
            for (int i = 0; i < BUCKETS; i++) {
                counts[i] += s.get(i);
            }
            sum += s.get(SUM);
            max = Math.max(max, s.get(MAX));
            min = Math.min(min, s.get(MIN));
            neg += s.get(NEG);
        }
        return new Snapshot(counts, sum, min, max, neg);
    }

    /** Immutable counts with percentile queries. */
    public static final class Snapshot {
        private final long[] counts;
        private final long count;
        private final long sum;
        private final long min;
        private final long max;
        private final long negatives;

        Snapshot(long[] counts, long sum, long min, long max, long negatives) {
            this.counts = counts;
            this.count = Arrays.stream(counts).sum();
            this.sum = sum;
            this.min = count == 0 ? 0 : min;
            this.max = max;
            this.negatives = negatives;
        }

        public long count() {
            return count;
        }

        /** Smallest value recorded exactly; 0 when empty. */
        public long min() {
            return min;
        }

        /** Largest value recorded exactly; 0 when empty. */
        public long max() {
            return max;
        }

        public double mean() {
            return count == 0 ? 0 : (double) sum / count;
        }

        /** How many recorded values were negative (and counted as 0). */
        public long negatives() {
            return negatives;
        }

        /**
         * The value at percentile {@code p} (0–100): the smallest bucket value v such that at least
         * p % of the values are ≤ v; reported as the bucket's highest value, capped at {@link #max()}.
         * 0 when empty.
         */
        public long percentile(double p) {
            if (p < 0 || p > 100 || Double.isNaN(p)) {
                throw new IllegalArgumentException("percentile must be within 0..100: " + p);
            }
            if (count == 0) {
                return 0;
            }
            long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Math.max(min, Math.min(max, highestIn(i)));
                }
            }
            return max;
        }
    }
}
