package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.server.config.ServerConfig;
import io.aistream.sse.SseEvent;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RawHttp;
import io.aistream.testing.Script;
import io.aistream.testing.UpstreamConnection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole path, with nothing mocked: browser socket → gateway → provider registry → OpenAI
 * protocol over the socket transport → a raw-socket upstream. When the client hangs up on a non-resumable
 * stream, the upstream must see its own connection closed. (How fast is not asserted: a wall-clock
 * window is flaky on a loaded machine; the test waits for the close with a guard timeout.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamDisconnectTest {
    private static final String CHUNK =
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";

    @Test
    void clientDisconnectClosesTheUpstreamConnection() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            // one content chunk, then the connection is held until the client closes it
            upstream.enqueue(Script.sse()
                    .header("cache-control", "no-cache")
                    .framing(Script.Framing.CLOSE_DELIMITED)
                    .send(CHUNK)
                    .stall());
            ProviderRegistry registry = ProviderRegistry.builder()
                    .config(Jackson.mapper().readTree("""
                    {"providers":{"up":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%s/v1"}}}""".formatted(upstream.baseUri())), Set.of())
                    .build();
            try (AistreamServer server = AistreamServer.start(ServerConfig.builder()
                    .port(0)
                    .providers(registry.asProviders())
                    .build())) {
                RawHttp client = RawHttp.postJson(
                        server.port(),
                        "/v1/stream",
                        "{\"provider\":\"up\",\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(client.status()).isEqualTo(200);
                List<SseEvent> first = client.events(client.sse(), 1); // the retry block dispatches nothing
                assertThat(first.get(0).data()).contains("\"delta\":\"Hel\"");
                UpstreamConnection connection = upstream.awaitConnection(0);
                connection.stalled().get(upstream.guard().toNanos(), TimeUnit.NANOSECONDS);

                client.close();

                connection.awaitClosedByClient(); // fails if the gateway does not close it within the guard timeout
            }
        }
    }
}
