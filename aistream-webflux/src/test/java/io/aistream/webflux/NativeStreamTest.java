package io.aistream.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.AistreamServer;
import io.aistream.server.config.ServerConfig;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import io.aistream.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The native SSE stream on WebFlux: the same bytes as the Jetty gateway's, one flush per event. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NativeStreamTest {
    static final long SEED = 42;

    static ServerConfig config() {
        return ServerConfig.builder()
                .port(0)
                .provider(new SimulatedProvider())
                .keepAliveInterval(Duration.ofSeconds(30))
                .build();
    }

    static String lorem(int length, String extra) {
        return "{\"provider\":\"simulated\",\"model\":\"lorem\",\"providerOptions\":{\"seed\":" + SEED
                + ",\"length\":" + length + ",\"tokensPerSecond\":0" + extra + "},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    /** The body with the stream's id (random per stream, unchosen by the client) replaced. */
    static String normalized(RawHttp http) throws Exception {
        String id = http.header("X-Stream-Id").orElseThrow();
        return http.bodyText().replace(id, "<stream-id>");
    }

    @Test
    void theStreamIsByteForByteTheJettyGatewaysStream() throws Exception {
        System.out.println("seed " + SEED);
        ServerConfig config = config();
        String jetty;
        String jettyType;
        try (AistreamServer server = AistreamServer.start(config);
                RawHttp http = RawHttp.postJson(server.port(), "/v1/stream", lorem(40, ""))) {
            assertThat(http.status()).isEqualTo(200);
            jettyType = http.header("Content-Type").orElseThrow();
            jetty = normalized(http);
        }
        try (WebFluxServer server = WebFluxServer.start(config);
                RawHttp http = RawHttp.postJson(server.port(), "/v1/stream", lorem(40, ""))) {
            assertThat(http.status()).isEqualTo(200);
            assertThat(http.header("Content-Type")).contains(jettyType);
            assertThat(http.header("Cache-Control")).contains("no-cache");
            assertThat(http.header("X-Accel-Buffering")).contains("no");
            assertThat(http.header("X-Stream-Id").orElseThrow()).startsWith("st_");
            String webflux = normalized(http);
            assertThat(webflux).isEqualTo(jetty);
            assertThat(webflux).contains("\"type\":\"done\"").endsWith("data: [DONE]\n\n");
        }
    }

    /** A stream that stalls after 3 pieces: its events arrive before it ends, so each was flushed. */
    @Test
    void eventsArriveOneByOne() throws Exception {
        try (WebFluxServer server = WebFluxServer.start(config());
                RawHttp http = RawHttp.postJson(server.port(), "/v1/stream", lorem(40, ",\"stallAfter\":3"))) {
            assertThat(http.status()).isEqualTo(200);
            assertThat(http.header("Transfer-Encoding")).contains("chunked");
            SseReader reader = http.sse();
            List<SseEvent> first = http.events(reader, 3);
            assertThat(first).hasSize(3);
            assertThat(first).allSatisfy(e -> assertThat(e.data()).contains("\"type\":\"content\""));
            // each event was its own HTTP chunk (one flush per event)
            List<byte[]> chunks = http.httpChunks();
            assertThat(chunks).isNotEmpty();
            assertThat(new String(chunks.get(chunks.size() - 1), StandardCharsets.UTF_8))
                    .endsWith("\n\n");
        }
    }
}
