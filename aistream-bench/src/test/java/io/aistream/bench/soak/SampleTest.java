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
}
