package io.aistream.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SoakChartTest {
    private static Sample at(double t, String phase, double heapMiB) {
        return new Sample(t, phase, heapMiB * (1 << 20), 3e8, 20, 40, 50, 4, 0, 0, Double.NaN, 1);
    }

    private static final List<Sample> SAMPLES = List.of(
            at(0, "warm-up", 30),
            at(10, "baseline", 40),
            at(20, "traffic", 200),
            at(30, "flood", 350),
            at(40, "traffic", 220),
            at(50, "drain", 60),
            at(55, "final", 42));

    @Test
    void consecutiveSamplesOfOnePhaseFormOneBand() {
        List<SoakChart.Band> bands = SoakChart.bands(SAMPLES);
        assertThat(bands)
                .extracting(SoakChart.Band::phase)
                .containsExactly("warm-up", "baseline", "traffic", "flood", "traffic", "drain", "final");
        assertThat(bands.get(2)).isEqualTo(new SoakChart.Band("traffic", 20, 30));
        List<SoakChart.Band> merged =
                SoakChart.bands(List.of(at(0, "traffic", 1), at(5, "traffic", 1), at(9, "drain", 1)));
        assertThat(merged).containsExactly(new SoakChart.Band("traffic", 0, 9), new SoakChart.Band("drain", 9, 9));
    }

    @Test
    void rendersWellFormedSvgWithAPanelPerGroupAndTheBaseline() throws Exception {
        String svg = SoakChart.render(SAMPLES, SAMPLES.get(1), "soak <test> & \"title\"");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(svg).contains("soak &lt;test&gt; &amp; &quot;title&quot;");
        for (String panel : Figure.PANELS) {
            assertThat(svg).contains(">" + SoakChart.escape(panel) + "<");
        }
        for (Figure fig : Figure.values()) {
            assertThat(svg).contains(">" + SoakChart.escape(fig.label) + "<");
        }
        // one polyline per figure with values; the websocket pool is unknown throughout: no line
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(Figure.values().length - 1);
        assertThat(svg).contains("stroke-dasharray");
        assertThat(svg).contains(">flood<");
    }

    @Test
    void axisCeilingsAreRound() {
        assertThat(SoakChart.niceCeiling(0)).isEqualTo(1);
        assertThat(SoakChart.niceCeiling(Double.NaN)).isEqualTo(1);
        assertThat(SoakChart.niceCeiling(350)).isEqualTo(500);
        assertThat(SoakChart.niceCeiling(201)).isEqualTo(250);
        assertThat(SoakChart.niceCeiling(1000)).isEqualTo(1000);
    }

    @Test
    void nothingToChartIsAnError() {
        assertThatThrownBy(() -> SoakChart.render(List.of(), null, "t")).isInstanceOf(IllegalArgumentException.class);
    }
}
