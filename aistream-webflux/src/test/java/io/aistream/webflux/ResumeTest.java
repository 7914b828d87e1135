package io.aistream.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.config.ServerConfig;
import io.aistream.sse.SseEvent;
import io.aistream.testing.RawHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Resume, abort and keep-alive on WebFlux. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResumeTest {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private static String stalled(int after, String extra) {
        return "{\"provider\":\"simulated\",\"model\":\"lorem\",\"providerOptions\":{\"seed\":" + NativeStreamTest.SEED
                + ",\"length\":40,\"tokensPerSecond\":0,\"stallAfter\":" + after + "},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}";
    }

    @Test
    void aResumableStreamResumesAfterLastEventIdAndDeleteEndsItAborted() throws Exception {
        try (WebFluxServer server = WebFluxServer.start(NativeStreamTest.config())) {
            String id;
            List<SseEvent> firstEvents;
            try (RawHttp first =
                    RawHttp.request(server.port(), "POST", "/v1/stream", JSON, stalled(4, ",\"resumable\":true"))) {
                assertThat(first.status()).isEqualTo(200);
                id = first.header("X-Stream-Id").orElseThrow();
                firstEvents = first.events(first.sse(), 4);
            }
            assertThat(firstEvents).hasSize(4);
            String lastId = firstEvents.get(1).lastEventId();
            try (RawHttp resumed =
                    RawHttp.request(server.port(), "GET", "/v1/streams/" + id, Map.of("Last-Event-ID", lastId), null)) {
                assertThat(resumed.status()).isEqualTo(200);
                List<SseEvent> again = resumed.events(resumed.sse(), 2);
                // exactly the events after Last-Event-ID, the same as the first connection saw
                assertThat(again)
                        .extracting(SseEvent::data)
                        .containsExactly(
                                firstEvents.get(2).data(), firstEvents.get(3).data());

                try (RawHttp delete = RawHttp.request(server.port(), "DELETE", "/v1/streams/" + id, Map.of(), null)) {
                    assertThat(delete.status()).isEqualTo(200);
                    assertThat(delete.bodyText()).contains("\"aborted\":true");
                }
                String rest = resumed.bodyText();
                assertThat(rest)
                        .contains("\"type\":\"done\"")
                        .contains("aborted")
                        .endsWith("data: [DONE]\n\n");
            }
        }
    }

    @Test
    void aStalledStreamGetsKeepAliveComments() throws Exception {
        ServerConfig config = ServerConfig.builder()
                .port(0)
                .provider(new SimulatedProvider())
                .keepAliveInterval(Duration.ofMillis(200))
                .build();
        try (WebFluxServer server = WebFluxServer.start(config);
                RawHttp http = RawHttp.request(server.port(), "POST", "/v1/stream", JSON, stalled(1, ""))) {
            assertThat(http.status()).isEqualTo(200);
            String chunk;
            do {
                chunk = http.nextHttpChunk();
            } while (chunk != null && !chunk.startsWith(":"));
            assertThat(chunk).isEqualTo(": keepalive\n\n");
            assertThat(http.nextHttpChunk()).isEqualTo(": keepalive\n\n");
        }
    }
}
