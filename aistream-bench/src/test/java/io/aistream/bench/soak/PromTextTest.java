package io.aistream.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromTextTest {
    private static final String TEXT = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 4.9283072E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 5388984.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 1.8111264E7
            jvm_threads_live_threads 17.0
            aistream_memory_retained_bytes{pool="resume"} 1024.0
            aistream_memory_retained_bytes{pool="read_ahead"} 0.0
            aistream_streams_refused_total{reason="key_retained"} 2.0
            aistream_streams_refused_total{reason="overloaded"} 5.0
            weird_label{msg="a \\"quoted\\" } brace",x="y"} 3 1700000000000
            not a sample line
            broken{unterminated="x 1
            """;

    @Test
    void sumsSeriesByNameAndLabels() {
        PromText m = PromText.parse(TEXT);
        assertThat(m.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isEqualTo(49283072.0 + 5388984.0);
        assertThat(m.sum("jvm_threads_live_threads")).isEqualTo(17.0);
        assertThat(m.sum("aistream_memory_retained_bytes", Map.of("pool", "resume")))
                .isEqualTo(1024.0);
        assertThat(m.sum("aistream_streams_refused_total")).isEqualTo(7.0);
    }

    @Test
    void quotedLabelValuesAndTimestampsParse() {
        PromText m = PromText.parse(TEXT);
        assertThat(m.sum("weird_label", Map.of("msg", "a \"quoted\" } brace", "x", "y")))
                .isEqualTo(3.0);
    }

    @Test
    void aMissingSeriesIsNaNNotZero() {
        PromText m = PromText.parse(TEXT);
        assertThat(m.sum("aistream_streams_active")).isNaN();
        assertThat(m.sum("aistream_memory_retained_bytes", Map.of("pool", "websocket")))
                .isNaN();
        assertThat(PromText.parse("").sum("x")).isNaN();
    }

    @Test
    void aSampleTakesEveryFigureFromTheExposition() {
        Sample s = GatewaySampler.fromMetrics(
                5, "traffic", PromText.parse(TEXT + "aistream_streams_active 3\n"), 1e8, 40, 55);
        assertThat(s.heapBytes()).isEqualTo(49283072.0 + 5388984.0);
        assertThat(s.liveThreads()).isEqualTo(17);
        assertThat(s.osThreads()).isEqualTo(40);
        assertThat(s.openFds()).isEqualTo(55);
        assertThat(s.activeStreams()).isEqualTo(3);
        assertThat(s.retainedResume()).isEqualTo(1024);
        assertThat(s.retainedWebSocket()).isNaN();
        assertThat(s.refused()).isEqualTo(7);
    }

    @Test
    void procOfThisProcessReadsThreadsAndFds() {
        GatewaySampler.Proc p = GatewaySampler.proc(java.nio.file.Path.of("/proc/self"));
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self"))) {
            assertThat(p.threads()).isNaN();
            return;
        }
        assertThat(p.threads()).isGreaterThanOrEqualTo(1);
        assertThat(p.fds()).isGreaterThanOrEqualTo(3);
        assertThat(p.rss()).isGreaterThan(0);
    }
}
