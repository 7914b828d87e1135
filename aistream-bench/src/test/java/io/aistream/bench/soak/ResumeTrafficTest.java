package io.aistream.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResumeTrafficTest {
    private static ByteArrayInputStream sse(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsUpToTheWantedEventsAndReturnsTheLastId() throws Exception {
        String body = "retry: 3000\n\nid: 0\ndata: {}\n\nid: 1\ndata: {}\n\nid: 2\ndata: {}\n\ndata: [DONE]\n\n";
        assertThat(ResumeTraffic.readEvents(sse(body), 2)).isEqualTo(1);
        assertThat(ResumeTraffic.readEvents(sse(body), Integer.MAX_VALUE)).isEqualTo(ResumeTraffic.DONE);
        assertThat(ResumeTraffic.readEvents(sse("id: 7\ndata: {}\n\n"), 5)).isEqualTo(7);
        assertThat(ResumeTraffic.readEvents(sse(""), 5)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theBodyIsAResumableSimulatedStream() {
        assertThat(ResumeTraffic.body(10000, 0))
                .contains(
                        "\"provider\":\"simulated\"",
                        "\"resumable\":true",
                        "\"length\":10000",
                        "\"tokensPerSecond\":0");
    }
}
