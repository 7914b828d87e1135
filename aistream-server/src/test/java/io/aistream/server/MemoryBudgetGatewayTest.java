package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.server.config.MemoryConfig;
import io.aistream.sse.SseEvent;
import io.aistream.testing.ControlledSource;
import io.aistream.testing.RawHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Admission control on a real gateway with a tiny memory budget. */
@Timeout(60)
class MemoryBudgetGatewayTest {
    /** 64 KiB: resumable streams are refused above 48 KiB retained, all streams above ~57.6 KiB. */
    private static final long BUDGET = 64 << 10;

    /** 1,000 characters: 96 + 2 × 1,000 = 2,096 estimated bytes per chunk. */
    private static final String KILO = "k".repeat(1000);

    /** 500 characters: 1,096 estimated bytes per chunk. */
    private static final String HALF_KILO = "h".repeat(500);

    @Test
    void whenResumeBuffersFillTheBudgetNewStreamsAreRefusedResumableFirstUntilFinishedOnesAreEvicted()
            throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.memory(new MemoryConfig(BUDGET, 0)))) {
            RawHttp hog = g.stream("\"resumable\":true");
            String hogId = hog.header("X-Stream-Id").orElseThrow();
            ControlledSource source = g.provider.nextSource();
            for (int i = 0; i < 25; i++) { // 52,400 bytes: over 75 %, under 90 %
                source.emit(ContentChunk.of(KILO));
            }
            assertThat(hog.events(hog.sse(), 25)).hasSize(25); // all appended to the resume buffer

            try (RawHttp refused = g.stream("\"resumable\":true")) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).contains("2");
                assertThat(refused.bodyText())
                        .contains("\"code\":\"overloaded\"")
                        .contains("resumable");
            }
            try (RawHttp ui = RawHttp.postJson(
                    g.port(),
                    "/v1/ui/chat",
                    "{\"id\":\"chat-1\",\"provider\":\"test\",\"model\":\"script\",\"trigger\":\"submit-message\","
                            + "\"messages\":[{\"id\":\"u1\",\"role\":\"user\","
                            + "\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}")) {
                assertThat(ui.status()).isEqualTo(503); // useChat streams are resumable by default
                assertThat(ui.bodyText()).contains("overloaded");
            }
            RawHttp plain = g.stream(""); // not resumable: still admitted below 90 %
            assertThat(plain.status()).isEqualTo(200);
            ControlledSource plainSource = g.provider.nextSource();
            plainSource.emit(DoneChunk.of(FinishReason.STOP));
            assertThat(plain.bodyText()).endsWith("data: [DONE]\n\n");
            plain.close();

            String metrics = get(g, "/metrics");
            assertThat(metrics)
                    .contains("aistream_memory_budget_bytes " + (double) BUDGET)
                    .contains("aistream_memory_retained_bytes{pool=\"resume\"} " + 25 * 2096.0)
                    .contains("aistream_streams_refused_total{reason=\"overloaded\"} 2.0");

            source.emit(DoneChunk.of(FinishReason.STOP));
            List<SseEvent> rest = hog.events(hog.sse(), 2);
            assertThat(rest).extracting(SseEvent::data).last().isEqualTo("[DONE]");
            hog.close();
            org.awaitility.Awaitility.await().until(() -> g.server.activeStreams() == 0);

            // the finished buffer is given back to admit the next resumable stream
            RawHttp next = g.stream("\"resumable\":true");
            assertThat(next.status()).isEqualTo(200);
            ControlledSource nextSource = g.provider.nextSource();
            try (RawHttp late = RawHttp.request(g.port(), "GET", "/v1/streams/" + hogId, Map.of(), null)) {
                assertThat(late.status()).isEqualTo(204); // expired early, not unknown
            }
            nextSource.emit(DoneChunk.of(FinishReason.STOP));
            assertThat(next.bodyText()).endsWith("data: [DONE]\n\n");
            next.close();
            assertThat(get(g, "/metrics")).contains("aistream_memory_reclaimed_bytes_total " + (25 * 2096.0 + 96));
        }
    }

    @Test
    void aKeyWhoseResumeBuffersHoldItsShareGetsNoNewResumableStreamWhileOtherKeysDo() throws Exception {
        String greedy = "greedy-key-0123456789";
        String modest = "modest-key-0123456789";
        // per key 16 KiB of a 1 MiB budget: the budget itself is nowhere near full
        try (TestGateway g = TestGateway.start(
                b -> b.apiKeys(List.of(greedy, modest)).memory(new MemoryConfig(1 << 20, 16 << 10)))) {
            RawHttp hog = stream(g, greedy, "\"resumable\":true");
            assertThat(hog.status()).isEqualTo(200);
            ControlledSource source = g.provider.nextSource();
            for (int i = 0; i < 14; i++) { // 14 × 1,096 = 15,344 bytes: over 90 % of the key's 16 KiB
                source.emit(ContentChunk.of(HALF_KILO));
            }
            source.emit(DoneChunk.of(FinishReason.STOP));
            assertThat(hog.bodyText()).endsWith("data: [DONE]\n\n"); // finished, and still kept

            // the key's own finished buffer is given back first: the next one is admitted
            RawHttp second = stream(g, greedy, "\"resumable\":true");
            assertThat(second.status()).isEqualTo(200);
            ControlledSource live = g.provider.nextSource();
            for (int i = 0; i < 14; i++) { // live this time: nothing to give back
                live.emit(ContentChunk.of(HALF_KILO));
            }
            assertThat(second.events(second.sse(), 14)).hasSize(14);

            try (RawHttp refused = stream(g, greedy, "\"resumable\":true")) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.bodyText()).contains("\"code\":\"too_much_retained\"");
            }
            RawHttp other = stream(g, modest, "\"resumable\":true");
            assertThat(other.status()).isEqualTo(200);
            ControlledSource otherSource = g.provider.nextSource();
            otherSource.emit(DoneChunk.of(FinishReason.STOP));
            assertThat(other.bodyText()).endsWith("data: [DONE]\n\n");
            other.close();
            live.emit(DoneChunk.of(FinishReason.STOP));
            assertThat(second.bodyText()).endsWith("data: [DONE]\n\n");
            second.close();
            hog.close();
            try (RawHttp metrics =
                    RawHttp.request(g.port(), "GET", "/metrics", Map.of("Authorization", "Bearer " + modest), null)) {
                assertThat(metrics.bodyText()).contains("aistream_streams_refused_total{reason=\"key_retained\"} 1.0");
            }
        }
    }

    private static RawHttp stream(TestGateway g, String key, String extra) throws Exception {
        return RawHttp.request(
                g.port(),
                "POST",
                "/v1/stream",
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + key),
                "{\"provider\":\"test\",\"model\":\"script\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + extra + "}");
    }

    private static String get(TestGateway g, String path) throws Exception {
        try (RawHttp r = RawHttp.request(g.port(), "GET", path, Map.of(), null)) {
            return r.bodyText();
        }
    }
}
