package io.aistream.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SampleTest {
    @Test
    void csvRoundTripsWithUnknownFiguresAsEmptyFields() {
        Sample s = new Sample(12.5, "flood", 1.5e8, 3e8, 20, 45, 80, 12, 1e6, 0, Double.NaN, 7);
        String line = s.toCsv();
        assertThat(line).isEqualTo("12.5,flood,150000000,300000000,20,45,80,12,1000000,0,,7");
        Sample back = Sample.fromCsv(line);
        assertThat(back.phase()).isEqualTo("flood");
        assertThat(back.heapBytes()).isEqualTo(1.5e8);
        assertThat(back.retainedWebSocket()).isNaN();
        assertThat(back.retainedBytes()).isNaN();
        assertThat(Sample.CSV_HEADER.split(",")).hasSize(line.split(",", -1).length);
    }

    @Test
    void badCsvNamesTheField() {
        assertThatThrownBy(() -> Sample.fromCsv("1,traffic,x,0,0,0,0,0,0,0,0,0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heap_bytes");
        assertThatThrownBy(() -> Sample.fromCsv("1,traffic")).hasMessageContaining("expected 12 CSV fields, got 2");
    }

    @Test
    void aPhaseMayNotBreakTheCsv() {
        assertThatThrownBy(() -> new Sample(0, "a,b", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idleWorkersComeOffBothThreadFigures() {
        Sample s = new Sample(1, "final", 0, 0, 42, 55, 0, 0, 0, 0, 0, 0).withoutThreads(19);
        assertThat(s.liveThreads()).isEqualTo(23);
        assertThat(s.osThreads()).isEqualTo(36);
        assertThat(s.withoutThreads(Double.NaN)).isEqualTo(s);
    }

    @Test
    void idleJettyWorkersAreCountedFromAThreadDump() {
        String dump = """
                "aistream-27" #27 waiting on condition
                	at org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.idleJobPoll(QueuedThreadPool.java:1169)
                	at org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.run(QueuedThreadPool.java:1186)
                "aistream-28" #28 runnable
                	at sun.nio.ch.EPoll.wait(Native Method)
                "aistream-29" #29 waiting on condition
                	at org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.idleJobPoll(QueuedThreadPool.java:1169)
                """;
        assertThat(SoakRun.countIdleWorkers(dump)).isEqualTo(2);
        assertThat(SoakRun.countIdleWorkers("")).isZero();
    }
}
