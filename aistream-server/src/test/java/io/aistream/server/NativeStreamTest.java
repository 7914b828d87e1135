package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import io.aistream.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NativeStreamTest {
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = TestGateway.start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void sseFramingAndHeadersAreByteExactWithOneHttpChunkPerEvent() throws Exception {
        try (RawHttp http = gateway.stream("")) {
            var source = gateway.provider.nextSource();
            source.emit(
                    ContentChunk.of("Hel"),
                    ContentChunk.of("lo \"wörld\"\n"),
                    DoneChunk.of(FinishReason.STOP, new Usage(3, 2, 5), "test", "script"));

            assertThat(http.status()).isEqualTo(200);
            String id = http.header("X-Stream-Id").orElseThrow();
            assertThat(id).matches("st_[A-Za-z0-9_-]{16}");
            assertThat(http.headLines())
                    .contains(
                            "HTTP/1.1 200 OK",
                            "Content-Type: text/event-stream; charset=utf-8",
                            "Cache-Control: no-cache",
                            "X-Accel-Buffering: no",
                            "X-Stream-Id: " + id,
                            "Transfer-Encoding: chunked");
            assertThat(http.headLines()).noneMatch(l -> l.toLowerCase().startsWith("server:"));

            String expected = "retry: 3000\n\n"
                    + "id: 0\ndata: {\"id\":\"" + id + "\",\"seq\":0,\"type\":\"content\",\"delta\":\"Hel\"}\n\n"
                    + "id: 1\ndata: {\"id\":\"" + id
                    + "\",\"seq\":1,\"type\":\"content\",\"delta\":\"lo \\\"wörld\\\"\\n\"}\n\n"
                    + "id: 2\ndata: {\"id\":\"" + id + "\",\"seq\":2,\"type\":\"done\",\"finishReason\":\"stop\","
                    + "\"usage\":{\"inputTokens\":3,\"outputTokens\":2,\"totalTokens\":5},\"provider\":\"test\",\"model\":\"script\"}\n\n"
                    + "data: [DONE]\n\n";
            assertThat(http.bodyText()).isEqualTo(expected);
            // one flush per event: every HTTP chunk is exactly one SSE block
            List<String> blocks = http.httpChunks().stream()
                    .map(b -> new String(b, StandardCharsets.UTF_8))
                    .toList();
            assertThat(String.join("", blocks)).isEqualTo(expected);
            assertThat(blocks).hasSize(5).allMatch(b -> b.endsWith("\n\n") && b.indexOf("\n\n") == b.length() - 2);
        }
    }

    @Test
    void simulatedProviderStreamsTheEcho() throws Exception {
        try (RawHttp http = RawHttp.postJson(
                gateway.port(),
                "/v1/stream",
                "{\"provider\":\"simulated\",\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, gateway\"}]}")) {
            assertThat(http.status()).isEqualTo(200);
            List<SseEvent> events = http.events(http.sse(), 1000);
            assertThat(events.getLast().data()).isEqualTo("[DONE]");
            List<StreamChunk> chunks = events.subList(0, events.size() - 1).stream()
                    .map(e -> ChunkJson.parse(e.data()))
                    .toList();
            String text = chunks.stream()
                    .filter(c -> c instanceof ContentChunk)
                    .map(c -> ((ContentChunk) c).delta())
                    .collect(Collectors.joining());
            assertThat(text).contains("Hello there, gateway");
            assertThat(chunks.getLast())
                    .isInstanceOfSatisfying(
                            DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.STOP));
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(chunks.get(i).seq()).isEqualTo(i);
                assertThat(events.get(i).lastEventId()).isEqualTo(Integer.toString(i));
            }
        }
    }

    @Test
    void backpressureStrategiesAreAccepted() throws Exception {
        for (String strategy : List.of("block", "buffer", "drop", "coalesce")) {
            try (RawHttp http = gateway.stream("\"backpressure\":\"" + strategy + "\",\"bufferCapacity\":8")) {
                var source = gateway.provider.nextSource();
                source.emit(ContentChunk.of("x"), DoneChunk.of(FinishReason.STOP));
                assertThat(http.status()).isEqualTo(200);
                SseReader reader = http.sse();
                List<SseEvent> events = http.events(reader, 10);
                assertThat(events).extracting(SseEvent::data).last().isEqualTo("[DONE]");
            }
        }
    }

    /**
     * Every disconnect, repeated, reaches the stalled upstream as a cancel. How fast is not asserted:
     * a wall-clock window is flaky on a loaded machine (the abort path under load is
     * {@code bench/abort-storm.sh}'s).
     */
    @Test
    void clientDisconnectCancelsTheUpstream() throws Exception {
        for (int run = 0; run < 7; run++) {
            RawHttp http = gateway.stream("");
            var source = gateway.provider.nextSource();
            source.emit(ContentChunk.of("first"));
            SseReader reader = http.sse();
            assertThat(http.events(reader, 1)).hasSize(1);
            http.close(); // the upstream is stalled: nothing is being written when the client leaves
            source.awaitCancel();
        }
    }

    @Test
    void clientDisconnectWhileChunksFlowCancelsTheUpstream() throws Exception {
        RawHttp http = gateway.stream("");
        var source = gateway.provider.nextSource();
        source.emit(ContentChunk.of("a"));
        assertThat(http.events(http.sse(), 1)).hasSize(1);
        http.socket().setSoLinger(true, 0); // a reset rather than a clean close
        http.close();
        for (int i = 0; i < 50 && !source.isCancelled(); i++) {
            source.emit(ContentChunk.of("more"));
        }
        source.awaitCancel();
    }
}
