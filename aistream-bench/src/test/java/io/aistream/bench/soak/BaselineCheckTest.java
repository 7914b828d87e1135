package io.aistream.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineCheckTest {
    private static final double MIB = 1 << 20;

    private static Sample sample(
            String phase, double heapMiB, double threads, double fds, double active, double retained) {
        return new Sample(0, phase, heapMiB * MIB, 200 * MIB, threads, threads + 10, fds, active, retained, 0, 0, 3);
    }

    private static BaselineCheck.Result result(List<BaselineCheck.Result> rs, Figure f) {
        return rs.stream().filter(r -> r.figure() == f).findFirst().orElseThrow();
    }

    @Test
    void figuresBackWithinToleranceOrBelowPass() {
        Sample base = sample("baseline", 40, 20, 30, 0, 0);
        Sample peak = sample("traffic", 400, 60, 900, 120, 150 * MIB);
        Sample end = sample("final", 55, 24, 25, 0, 0);
        List<BaselineCheck.Result> rs = BaselineCheck.soakDefaults().evaluate(base, end, List.of(base, peak, end));
        assertThat(BaselineCheck.allPass(rs)).isTrue();
        BaselineCheck.Result heap = result(rs, Figure.HEAP);
        // 40 MiB × 20 % = 8 MiB < 16 MiB: the absolute allowance applies
        assertThat(heap.limit()).isEqualTo(56 * MIB);
        assertThat(heap.peak()).isEqualTo(400 * MIB);
        assertThat(heap.line()).startsWith("PASS heap used:").contains("baseline 40 MiB, end 55, peak 400, limit 56");
        assertThat(result(rs, Figure.REFUSED).checked()).isFalse();
        assertThat(result(rs, Figure.REFUSED).line()).startsWith("INFO").contains("not checked");
    }

    @Test
    void theRelativeAllowanceAppliesToLargeBaselines() {
        BaselineCheck.Tolerance t = BaselineCheck.soakDefaults().tolerance(Figure.HEAP);
        assertThat(t.limit(200 * MIB)).isEqualTo(240 * MIB);
    }

    @Test
    void aLeakedThreadFdOrStreamFails() {
        Sample base = sample("baseline", 40, 20, 30, 0, 0);
        Sample end = sample("final", 40, 25, 35, 1, 10);
        List<BaselineCheck.Result> rs = BaselineCheck.soakDefaults().evaluate(base, end, List.of(base, end));
        assertThat(BaselineCheck.allPass(rs)).isFalse();
        assertThat(result(rs, Figure.LIVE_THREADS).pass()).isFalse();
        assertThat(result(rs, Figure.OPEN_FDS).pass()).isFalse();
        assertThat(result(rs, Figure.ACTIVE_STREAMS).pass()).isFalse();
        assertThat(result(rs, Figure.RETAINED_RESUME).pass()).isFalse();
        assertThat(result(rs, Figure.RETAINED_RESUME).line()).startsWith("FAIL");
        assertThat(result(rs, Figure.HEAP).pass()).isTrue();
    }

    @Test
    void streamsAndRetainedBytesMustEndAtZeroWhateverTheBaseline() {
        Sample base = sample("baseline", 40, 20, 30, 2, 100);
        Sample end = sample("final", 40, 20, 30, 2, 100);
        List<BaselineCheck.Result> rs = BaselineCheck.soakDefaults().evaluate(base, end, List.of(base, end));
        assertThat(result(rs, Figure.ACTIVE_STREAMS).pass()).isFalse();
        assertThat(result(rs, Figure.RETAINED_RESUME).limit()).isZero();
    }

    @Test
    void anUnknownEndValueFailsACheckedFigure() {
        Sample base = sample("baseline", 40, 20, 30, 0, 0);
        Sample end = new Sample(0, "final", Double.NaN, 200 * MIB, 20, 30, 30, 0, 0, 0, 0, 0);
        List<BaselineCheck.Result> rs = BaselineCheck.soakDefaults().evaluate(base, end, List.of(base, end));
        assertThat(result(rs, Figure.HEAP).pass()).isFalse();
        assertThat(result(rs, Figure.HEAP).line()).contains("end n/a");
    }

    @Test
    void settledIgnoresMemoryButWaitsForThreadsFdsAndStreams() {
        BaselineCheck c = BaselineCheck.soakDefaults();
        Sample base = sample("baseline", 40, 20, 30, 0, 0);
        assertThat(c.settled(base, sample("poll", 300, 22, 31, 0, 0))).isTrue();
        assertThat(c.settled(base, sample("poll", 40, 30, 31, 0, 0))).isFalse();
        assertThat(c.settled(base, sample("poll", 40, 20, 30, 1, 0))).isFalse();
    }
}
