package io.aistream.bench.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.bench.load.LoadGenerator;
import io.aistream.bench.load.LoadOptions;
import io.aistream.bench.load.LoadReport;
import io.aistream.bench.upstream.FakeUpstream;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LatencyChartTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void drawsAPngOfPercentilesAgainstStreams(@TempDir Path dir) throws Exception {
        List<LoadReport> reports = new ArrayList<>();
        try (FakeUpstream up = FakeUpstream.start()) {
            for (int c : new int[] {1, 10, 40}) {
                reports.add(LoadGenerator.run(
                        LoadOptions.builder(URI.create(up.baseUrl()))
                                .streams(c)
                                .rate(100)
                                .tokens(10)
                                .build(),
                        s -> {}));
            }
        }
        Path png = dir.resolve("sub/chart.png");

        LatencyChart.write(reports, "test chart", png);

        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(960);
        assertThat(img.getHeight()).isEqualTo(600);
        assertThat(Files.size(png)).isGreaterThan(5_000);
        assertThat(LatencyChart.seriesOf(reports.get(0)))
                .startsWith("openai 127.0.0.1:")
                .endsWith("100 chunks/s");
    }
}
