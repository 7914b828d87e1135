package io.aistream.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.server.config.ServerConfig;
import io.aistream.sse.SseEvent;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RawHttp;
import io.aistream.testing.Script;
import io.aistream.testing.UpstreamConnection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole path, nothing mocked: a raw client socket → Reactor Netty → WebFlux → the gateway → the
 * OpenAI protocol over the provider transport → a raw-socket upstream. When the client hangs up, the
 * upstream sees its connection closed. The time from the client's close to the upstream seeing it is
 * printed; the assertion waits on the event (with the upstream's guard timeout), not on a clock window.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DisconnectTest {
    private static String chunk(String text) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}\n\n";
    }

    private static ServerConfig config(FakeUpstream upstream) throws Exception {
        ProviderRegistry registry = ProviderRegistry.builder()
                .config(Jackson.mapper().readTree("""
                        {"providers":{"up":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%s/v1"}}}""".formatted(upstream.baseUri())), Set.of())
                .build();
        return ServerConfig.builder()
                .port(0)
                .providers(registry.asProviders())
                .keepAliveInterval(Duration.ofSeconds(30))
                .build();
    }

    private static final String REQUEST =
            "{\"provider\":\"up\",\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void whileTheUpstreamStalls() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.enqueue(Script.sse()
                    .header("cache-control", "no-cache")
                    .framing(Script.Framing.CLOSE_DELIMITED)
                    .send(chunk("Hel"))
                    .stall());
            try (WebFluxServer server = WebFluxServer.start(config(upstream))) {
                RawHttp client = RawHttp.postJson(server.port(), "/v1/stream", REQUEST);
                assertThat(client.status()).isEqualTo(200);
                List<SseEvent> first = client.events(client.sse(), 1);
                assertThat(first.get(0).data()).contains("\"delta\":\"Hel\"");
                UpstreamConnection connection = upstream.awaitConnection(0);
                connection.stalled().get(upstream.guard().toNanos(), TimeUnit.NANOSECONDS);

                long closedAt = System.nanoTime();
                client.close();

                long seen = connection.awaitClosedByClient();
                System.out.printf("stalled upstream closed %.1f ms after the client closed%n", (seen - closedAt) / 1e6);
            }
        }
    }

    @Test
    void whileChunksFlow() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            Script script = Script.sse().header("cache-control", "no-cache").framing(Script.Framing.CLOSE_DELIMITED);
            for (int i = 0; i < 2000; i++) {
                script.send(chunk("w" + i + " ")).pause(Duration.ofMillis(5));
            }
            upstream.enqueue(script.stall());
            try (WebFluxServer server = WebFluxServer.start(config(upstream))) {
                RawHttp client = RawHttp.postJson(server.port(), "/v1/stream", REQUEST);
                assertThat(client.status()).isEqualTo(200);
                List<SseEvent> first = client.events(client.sse(), 5);
                assertThat(first).hasSize(5);
                UpstreamConnection connection = upstream.awaitConnection(0);

                long closedAt = System.nanoTime();
                client.close();

                long seen = connection.awaitClosedByClient();
                assertThat(connection.stalled()).isNotDone(); // it was still sending chunks
                System.out.printf("flowing upstream closed %.1f ms after the client closed%n", (seen - closedAt) / 1e6);
            }
        }
    }
}
