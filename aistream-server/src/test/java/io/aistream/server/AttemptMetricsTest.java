package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.server.config.ServerConfig;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RawHttp;
import io.aistream.testing.Script;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole path (gateway → registry → OpenAI protocol → a scripted raw-socket upstream): retries and
 * fallbacks the transport makes show in {@code /metrics}, counted under the name the request used.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AttemptMetricsTest {
    private static final String STREAM =
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
                    + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

    @Test
    void aRetryAndAFallbackAreCountedForTheNameTheRequestUsed() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            ProviderRegistry registry = ProviderRegistry.builder()
                    .config(Jackson.mapper().readTree("""
                    {"providers":{"up":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%1$s/v1"},
                                  "down":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%1$s/v1"}},
                     "chains":{"robust":["down/m","up/m"]},
                     "retry":{"maxAttempts":2,"initialBackoffMs":1,"maxBackoffMs":1}}""".formatted(upstream.baseUri())), Set.of())
                    .build();
            try (AistreamServer server = AistreamServer.start(ServerConfig.builder()
                    .port(0)
                    .providers(registry.asProviders())
                    .build())) {
                // "up": a 429, then the stream (one retry)
                upstream.enqueue(reply(
                        429,
                        "application/json",
                        "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}"));
                upstream.enqueue(reply(200, "text/event-stream", STREAM));
                assertThat(stream(server, "up")).contains("\"delta\":\"Hi\"").contains("\"finishReason\":\"stop\"");

                // "robust": its first target refuses the request (not retryable), the second streams (one fallback)
                upstream.enqueue(reply(
                        400,
                        "application/json",
                        "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}"));
                upstream.enqueue(reply(200, "text/event-stream", STREAM));
                assertThat(stream(server, "robust"))
                        .contains("\"delta\":\"Hi\"")
                        .contains("\"finishReason\":\"stop\"");

                String metrics;
                try (RawHttp http = RawHttp.request(server.port(), "GET", "/metrics", java.util.Map.of(), null)) {
                    metrics = http.bodyText();
                }
                assertThat(metrics)
                        .contains("aistream_retries_total{provider=\"up\"} 1.0")
                        .contains("aistream_fallbacks_total{provider=\"robust\"} 1.0")
                        .doesNotContain("aistream_retries_total{provider=\"robust\"} 1.0");
                assertThat(upstream.requests()).hasSize(4);
            }
        }
    }

    @Test
    void anUpstreamEventNoDecoderKnowsIsCountedAndTheStreamGoesOn() throws Exception {
        String withUnknown =
                "event: usage.estimate\ndata: {\"id\":\"c1\",\"object\":\"usage.estimate\",\"choices\":[]}\n\n"
                        + STREAM;
        try (FakeUpstream upstream = FakeUpstream.start()) {
            ProviderRegistry registry = ProviderRegistry.builder()
                    .config(Jackson.mapper().readTree("""
                    {"providers":{"up":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%s/v1"}}}""".formatted(upstream.baseUri())), Set.of())
                    .build();
            try (AistreamServer server = AistreamServer.start(ServerConfig.builder()
                    .port(0)
                    .providers(registry.asProviders())
                    .build())) {
                upstream.enqueue(reply(200, "text/event-stream", withUnknown));
                upstream.enqueue(reply(200, "text/event-stream", withUnknown));
                assertThat(stream(server, "up")).contains("\"delta\":\"Hi\"").contains("\"finishReason\":\"stop\"");
                assertThat(stream(server, "up")).contains("\"finishReason\":\"stop\"");

                String metrics;
                try (RawHttp http = RawHttp.request(server.port(), "GET", "/metrics", java.util.Map.of(), null)) {
                    metrics = http.bodyText();
                }
                assertThat(metrics)
                        .contains(
                                "aistream_provider_unknown_events_total{event=\"usage.estimate\",provider=\"up\"} 2.0");
            }
        }
    }

    private static String stream(AistreamServer server, String provider) throws IOException {
        try (RawHttp http = RawHttp.postJson(
                server.port(),
                "/v1/stream",
                "{\"provider\":\"" + provider
                        + "\",\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            assertThat(http.status()).isEqualTo(200);
            return http.bodyText();
        }
    }

    private static Script reply(int status, String type, String body) {
        return Script.status(status)
                .header("Content-Type", type)
                .framing(Script.Framing.CONTENT_LENGTH)
                .send(body);
    }
}
