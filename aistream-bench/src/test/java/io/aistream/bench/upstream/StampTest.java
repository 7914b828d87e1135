package io.aistream.bench.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StampTest {

    @Test
    void formatsFixedWidthAndScansBack() {
        String s = Stamp.format(42, 123_456_789_012L);

        assertThat(s).isEqualTo("|000042:0000000123456789012|").hasSize(Stamp.LENGTH);
        List<long[]> found = new ArrayList<>();
        assertThat(Stamp.scan("before " + s + "lorem", (seq, t) -> found.add(new long[] {seq, t})))
                .isEqualTo(1);
        assertThat(found).containsExactly(new long[] {42, 123_456_789_012L});
    }

    @Test
    void findsEveryStampInCoalescedTextAndIgnoresLookalikes() {
        String text = "a|b|" + Stamp.format(1, 10) + "xx" + Stamp.format(2, 20) + "|123456:12|" + Stamp.format(3, 30);
        List<Integer> seqs = new ArrayList<>();

        int n = Stamp.scan(text, (seq, t) -> seqs.add(seq));

        assertThat(n).isEqualTo(3);
        assertThat(seqs).containsExactly(1, 2, 3);
    }

    @Test
    void sequenceNumbersWrapAtAMillion() {
        assertThat(Stamp.format(1_000_003, 5)).startsWith("|000003:");
    }

    /**
     * The stamp's clock must be comparable across processes: a second JVM's nanoTime lies between
     * this JVM's readings before and after it ran (true of HotSpot on Linux: CLOCK_MONOTONIC).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void nanoTimeOfAnotherJvmIsComparable() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long before = System.nanoTime();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ClockProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).isZero();
        long after = System.nanoTime();

        long child = Long.parseLong(out);

        assertThat(child).isBetween(before, after);
    }
}
