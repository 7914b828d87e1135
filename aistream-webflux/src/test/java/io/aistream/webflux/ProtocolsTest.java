package io.aistream.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.config.ServerConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every protocol answers on WebFlux what it answers on Jetty: the same status, type and bytes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtocolsTest {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, gateway\"}]";

    private static ServerConfig config() {
        return ServerConfig.builder().port(0).provider(new SimulatedProvider()).build();
    }

    @Test
    void openAiChatCompletionsStream() throws Exception {
        Parity p = Parity.of(
                config(),
                "POST",
                "/v1/chat/completions",
                JSON,
                "{\"model\":\"simulated/echo\",\"stream\":true," + HI + "}");
        assertThat(p.webflux().status()).isEqualTo(200);
        assertThat(p.webflux().body()).contains("chat.completion.chunk").endsWith("data: [DONE]\n\n");
        assertThat(p.webflux()).isEqualTo(p.jetty());
    }

    @Test
    void uiChatStream() throws Exception {
        Parity p = Parity.of(
                config(),
                "POST",
                "/v1/ui/chat",
                JSON,
                "{\"id\":\"chat-1\",\"messages\":[{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\","
                        + "\"text\":\"Hello there\"}]}],\"trigger\":\"submit-message\",\"provider\":\"simulated\","
                        + "\"model\":\"echo\"}");
        assertThat(p.webflux().status()).isEqualTo(200);
        assertThat(p.webflux().body()).contains("\"type\":\"text-delta\"").endsWith("data: [DONE]\n\n");
        assertThat(p.webflux()).isEqualTo(p.jetty());
    }

    @Test
    void models() throws Exception {
        Parity p = Parity.of(config(), "GET", "/v1/models", Map.of(), null);
        assertThat(p.webflux().status()).isEqualTo(200);
        assertThat(p.webflux().body()).contains("\"object\":\"list\"");
        assertThat(p.webflux()).isEqualTo(p.jetty());
    }

    @Test
    void badJson() throws Exception {
        Parity p = Parity.of(config(), "POST", "/v1/stream", JSON, "{\"provider\":");
        assertThat(p.webflux().status()).isEqualTo(400);
        assertThat(p.webflux()).isEqualTo(p.jetty());
    }

    @Test
    void unknownProvider() throws Exception {
        Parity p =
                Parity.of(config(), "POST", "/v1/stream", JSON, "{\"provider\":\"nope\",\"model\":\"m\"," + HI + "}");
        assertThat(p.webflux().status()).isBetween(400, 404);
        assertThat(p.webflux()).isEqualTo(p.jetty());
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        ServerConfig config = ServerConfig.builder()
                .port(0)
                .provider(new SimulatedProvider())
                .maxBodyBytes(1024)
                .build();
        String big = "{\"provider\":\"simulated\",\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(4000) + "\"}]}";
        Parity p = Parity.of(config, "POST", "/v1/stream", JSON, big);
        assertThat(p.webflux().status()).isEqualTo(413);
        assertThat(p.webflux()).isEqualTo(p.jetty());
        Parity openAi = Parity.of(config, "POST", "/v1/chat/completions", JSON, big);
        assertThat(openAi.webflux().status()).isEqualTo(413);
        assertThat(openAi.webflux()).isEqualTo(openAi.jetty());
    }

    @Test
    void unknownPathAndWrongMethod() throws Exception {
        Parity missing = Parity.of(config(), "GET", "/v1/nothing-here", Map.of(), null);
        assertThat(missing.webflux().status()).isEqualTo(404);
        assertThat(missing.webflux()).isEqualTo(missing.jetty());
        Parity method = Parity.of(config(), "GET", "/v1/stream", Map.of(), null);
        assertThat(method.webflux().status()).isEqualTo(405);
        assertThat(method.webflux()).isEqualTo(method.jetty());
    }

    /** An escape that is not UTF-8: the same 400 as Jetty's, from the binding's own query decoding. */
    @Test
    void aQueryThatIsNotUtf8Is400() throws Exception {
        Parity p = Parity.of(config(), "GET", "/v1/streams/st_x?after=%C3%28", Map.of(), null);
        assertThat(p.webflux().status()).isEqualTo(400);
        assertThat(p.webflux()).isEqualTo(p.jetty());
    }

    /**
     * A malformed escape ({@code %zz}) is refused by Spring's Reactor Netty adapter while it builds the
     * request's URI, before any handler runs: a 400 without a body (Jetty answers it in JSON). Said here
     * so that a change of that shows.
     */
    @Test
    void aMalformedEscapeIsRefusedBeforeTheGateway() throws Exception {
        try (WebFluxServer server = WebFluxServer.start(config())) {
            Parity.Answer a = Parity.answer(server.port(), "GET", "/v1/streams/st_x?after=%zz", Map.of(), null);
            assertThat(a.status()).isEqualTo(400);
        }
    }

    @Test
    void underABasePath() throws Exception {
        try (WebFluxServer server = WebFluxServer.start(config(), "/ai")) {
            Parity.Answer models = Parity.answer(server.port(), "GET", "/ai/v1/models", Map.of(), null);
            assertThat(models.status()).isEqualTo(200);
            assertThat(models.body()).contains("\"object\":\"list\"");
            Parity.Answer stream = Parity.answer(
                    server.port(),
                    "POST",
                    "/ai/v1/stream",
                    JSON,
                    "{\"provider\":\"simulated\",\"model\":\"echo\"," + HI + "}");
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.body()).contains("gateway").endsWith("data: [DONE]\n\n");
            assertThat(server.gateway.serves(request("/ai/v1/stream"))).isTrue();
            assertThat(server.gateway.serves(request("/ai/v1/streams/st_a%2Fb")))
                    .isTrue();
            assertThat(server.gateway.serves(request("/v1/stream"))).isFalse();
            assertThat(server.gateway.serves(request("/ai/other"))).isFalse();
            assertThat(server.gateway.serves(request("/aix/v1/stream"))).isFalse();
        }
    }

    private static org.springframework.http.server.reactive.ServerHttpRequest request(String path) {
        return org.springframework.mock.http.server.reactive.MockServerHttpRequest.get(path)
                .build();
    }
}
