package io.aistream.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void smallValuesAreExact() {
        Histogram h = new Histogram();
        for (int v = 1; v <= 100; v++) {
            h.record(v);
        }
        Histogram.Snapshot s = h.snapshot();

        assertThat(s.count()).isEqualTo(100);
        assertThat(s.percentile(50)).isEqualTo(50);
        assertThat(s.percentile(90)).isEqualTo(90);
        assertThat(s.percentile(99)).isEqualTo(99);
        assertThat(s.percentile(100)).isEqualTo(100);
        assertThat(s.percentile(0)).isEqualTo(1);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(100);
        assertThat(s.mean()).isEqualTo(50.5);
    }

    @Test
    void largeValuesAreWithinOneBucketOfTheTruePercentile() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        Histogram h = new Histogram();
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            long v = (long) Math.exp(random.nextDouble(0, Math.log(5e9))); // 1 ns .. 5 s, log-uniform
            values.add(v);
            h.record(v);
        }
        values.sort(null);
        Histogram.Snapshot s = h.snapshot();
        for (double p : new double[] {50, 90, 99, 99.9}) {
            long exact = values.get((int) Math.ceil(p / 100 * values.size()) - 1);
            assertThat((double) s.percentile(p))
                    .as("p%s, seed %d", p, seed)
                    .isGreaterThanOrEqualTo(exact)
                    .isLessThanOrEqualTo(exact * (1 + 1.0 / 128) + 1);
        }
        assertThat(s.max()).isEqualTo(values.get(values.size() - 1));
        assertThat(s.min()).isEqualTo(values.get(0));
    }

    @Test
    void microsecondLatenciesReportAsExpected() {
        Histogram h = new Histogram();
        // 900 chunks at 100 µs, 90 at 1 ms, 10 at 20 ms
        for (int i = 0; i < 900; i++) {
            h.record(100_000);
        }
        for (int i = 0; i < 90; i++) {
            h.record(1_000_000);
        }
        for (int i = 0; i < 10; i++) {
            h.record(20_000_000);
        }
        Histogram.Snapshot s = h.snapshot();

        assertThat((double) s.percentile(50)).isCloseTo(100_000, within(100_000 / 128.0));
        assertThat((double) s.percentile(90)).isCloseTo(100_000, within(100_000 / 128.0));
        assertThat((double) s.percentile(99)).isCloseTo(1_000_000, within(1_000_000 / 128.0));
        assertThat(s.percentile(99.9)).isEqualTo(20_000_000);
        assertThat(s.max()).isEqualTo(20_000_000);
    }

    @Test
    void bucketBoundariesRoundTrip() {
        for (long v : new long[] {0, 1, 255, 256, 257, 511, 512, 1000, 123_456_789, Long.MAX_VALUE}) {
            int i = Histogram.indexOf(v);
            assertThat(Histogram.highestIn(i)).as("v=%d", v).isGreaterThanOrEqualTo(v);
            assertThat(i == 0 || Histogram.highestIn(i - 1) < v).as("v=%d", v).isTrue();
            assertThat(i).isLessThan(Histogram.BUCKETS);
        }
    }

    @Test
    void negativeValuesCountAsZeroAndAreTallied() {
        Histogram h = new Histogram();
        h.record(-5);
        h.record(10);
        Histogram.Snapshot s = h.snapshot();

        assertThat(s.negatives()).isEqualTo(1);
        assertThat(s.min()).isZero();
        assertThat(s.percentile(50)).isZero();
    }

    @Test
    void emptyHistogramReportsZeros() {
        Histogram.Snapshot s = new Histogram().snapshot();

        assertThat(s.count()).isZero();
        assertThat(s.percentile(99)).isZero();
        assertThat(s.max()).isZero();
        assertThat(s.min()).isZero();
        assertThatThrownBy(() -> s.percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        Histogram h = new Histogram();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 1; i <= 10_000; i++) {
                    h.record(i);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        Histogram.Snapshot s = h.snapshot();

        assertThat(s.count()).isEqualTo(80_000);
        assertThat(s.max()).isEqualTo(10_000);
        assertThat(s.mean()).isEqualTo(5000.5);
    }
}
