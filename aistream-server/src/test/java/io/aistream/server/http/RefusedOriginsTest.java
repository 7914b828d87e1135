package io.aistream.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RefusedOriginsTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final RefusedOrigins refused = new RefusedOrigins(lines::add);

    @Test
    void logsEachOriginOnceWithHowToAllowIt() {
        refused.refused("https://app.example");
        refused.refused("https://app.example");
        refused.refused("https://other.example");

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .contains("https://app.example", "corsOrigins", "--cors-origin", "AISTREAM_CORS_ORIGINS");
        assertThat(lines.get(1)).contains("https://other.example");
    }

    @Test
    void aFloodOfOriginsIsBoundedInMemoryAndInTheLog() {
        for (int i = 0; i < 1_000_000; i++) {
            refused.refused("https://o" + i + ".example");
        }
        assertThat(refused.remembered()).isEqualTo(RefusedOrigins.MAX_ORIGINS);
        assertThat(lines).hasSize(RefusedOrigins.MAX_ORIGINS + 1);
        assertThat(lines.getLast()).contains("further origins are not logged");
    }

    @Test
    void aHugeOrControlCharacterOriginIsCutAndCleaned() {
        refused.refused("https://" + "x".repeat(10_000) + "\u001b[31m");
        assertThat(lines.getFirst().length()).isLessThan(RefusedOrigins.MAX_ORIGIN_CHARS + 200);
        refused.refused("https://a\u001b.example");
        assertThat(lines.getLast()).contains("https://a?.example");
    }
}
