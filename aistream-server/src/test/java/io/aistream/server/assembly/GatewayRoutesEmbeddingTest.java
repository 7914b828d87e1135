package io.aistream.server.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.direct.StreamResponses;
import io.aistream.server.http.BufferedResponse;
import io.aistream.server.http.Dispatcher;
import io.aistream.server.http.HttpExchange;
import io.aistream.server.http.HttpRequest;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.WsHandler;
import io.aistream.stream.ChatStream;
import io.aistream.stream.TimeSource;
import io.aistream.testing.FixedSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The options a host application (a Spring app) mounts the gateway with, through the HTTP-neutral exchange. */
class GatewayRoutesEmbeddingTest {
    private static ServerConfig config() {
        return ServerConfig.builder()
                .port(0)
                .provider(new SimulatedProvider(TimeSource.system(), 0))
                .build();
    }

    @Test
    void onlyTheChosenEndpointGroupsAreServed() throws Exception {
        try (GatewayRoutes routes =
                GatewayRoutes.builder(config()).endpoints(List.of("native")).build()) {
            Dispatcher d = routes.dispatcher();
            assertThat(d.serves("/v1/stream")).isTrue();
            assertThat(d.serves("/v1/streams/abc")).isTrue();
            assertThat(d.serves("/v1/chat/completions")).isFalse();
            assertThat(d.serves("/health")).isFalse();
            BufferedResponse answer = dispatch(d, request("GET", "/v1/models", Map.of()));
            assertThat(answer.status()).isEqualTo(404);
        }
    }

    @Test
    void anUnknownEndpointGroupIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> GatewayRoutes.builder(config()).endpoints(List.of("native", "grpc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'grpc'")
                .hasMessageContaining("native, openai, responses, anthropic, aisdk, ws, info");
    }

    @Test
    void behindAHostApplicationNeitherHostNorOriginIsChecked() throws Exception {
        Map<String, String> foreign = Map.of("Origin", "https://app.example.com");
        try (GatewayRoutes standalone = GatewayRoutes.create(config());
                GatewayRoutes embedded =
                        GatewayRoutes.builder(config()).behindHostApplication().build()) {
            // without API keys the gateway on its own answers loopback hosts only (DNS rebinding)
            assertThat(dispatch(standalone.dispatcher(), request("GET", "/v1/models", foreign, "app.example.com"))
                            .status())
                    .isEqualTo(421);
            BufferedResponse inApp =
                    dispatch(embedded.dispatcher(), request("GET", "/v1/models", foreign, "app.example.com"));
            assertThat(inApp.status()).isEqualTo(200);
            assertThat(inApp.headers()).noneMatch(h -> h.getKey().startsWith("Access-Control-"));
        }
    }

    @Test
    void theHostApplicationsUserOwnsTheStreamsWithoutApiKeys() throws Exception {
        try (GatewayRoutes routes =
                GatewayRoutes.builder(config()).behindHostApplication().build()) {
            TestRequest start = request("POST", "/v1/stream", Map.of("Content-Type", "application/json"), "localhost")
                    .withBody("{\"provider\":\"simulated\",\"model\":\"echo\",\"resumable\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}")
                    .withUser("alice");
            BufferedResponse started = dispatch(routes.dispatcher(), start);
            assertThat(started.status()).isEqualTo(200);
            String id = started.headers().stream()
                    .filter(h -> h.getKey().equals("X-Stream-Id"))
                    .findFirst()
                    .orElseThrow()
                    .getValue();
            // another user does not see alice's stream; alice does
            BufferedResponse byBob = dispatch(
                    routes.dispatcher(),
                    request("GET", "/v1/streams/" + id, Map.of()).withUser("bob"));
            assertThat(byBob.status()).isEqualTo(404);
            BufferedResponse byAlice = dispatch(
                    routes.dispatcher(),
                    request("GET", "/v1/streams/" + id, Map.of()).withUser("alice"));
            assertThat(byAlice.status()).isEqualTo(200);
            assertThat(new String(byAlice.bytes(), StandardCharsets.UTF_8))
                    .contains("three")
                    .endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void metersGoToTheHostsRegistryUnderTheGatewaysNames() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (GatewayRoutes routes = GatewayRoutes.builder(config())
                .meterRegistry(registry)
                .behindHostApplication()
                .build()) {
            assertThat(registry.find("aistream.aborts")
                            .tag("cause", "client_disconnect")
                            .counter())
                    .isNotNull();
            dispatch(
                    routes.dispatcher(),
                    request("POST", "/v1/stream", Map.of("Content-Type", "application/json"))
                            .withBody("{\"provider\":\"simulated\",\"model\":\"echo\","
                                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
            assertThat(registry.find("aistream.streams.started").counter().count())
                    .isEqualTo(1);
            // the host binds its own JVM meters
            assertThat(registry.find("jvm.memory.used").gauge()).isNull();
        }
    }

    @Test
    void aHostsOwnStreamIsWrittenAsTheNativeProtocol() throws Exception {
        ChatStream stream = ChatStream.builder(
                        FixedSource.of(ContentChunk.of("Hel"), ContentChunk.of("lo"), DoneChunk.of(FinishReason.STOP)))
                .build();
        TestExchange exchange = new TestExchange(request("GET", "/chat", Map.of()));
        StreamResponses.DEFAULTS.nativeSse(stream, exchange);
        String body = new String(exchange.response.bytes(), StandardCharsets.UTF_8);
        assertThat(body)
                .startsWith("retry: 3000\n\n")
                .contains("id: 0\ndata: {")
                .contains("\"delta\":\"Hel\"")
                .contains("id: 2\ndata: {")
                .endsWith("data: [DONE]\n\n");
        assertThat(exchange.response.headers()).contains(Map.entry("X-Stream-Id", stream.id()));
        assertThat(stream.isDone()).isTrue();
    }

    private static BufferedResponse dispatch(Dispatcher d, TestRequest request) throws Exception {
        TestExchange exchange = new TestExchange(request);
        d.dispatch(exchange, Dispatcher.Fallback.NONE);
        return exchange.response;
    }

    private static TestRequest request(String method, String path, Map<String, String> headers) {
        return request(method, path, headers, "localhost");
    }

    private static TestRequest request(String method, String path, Map<String, String> headers, String host) {
        return new TestRequest(method, path, headers, host, new byte[0], Optional.empty());
    }

    private record TestRequest(
            String method,
            String path,
            Map<String, String> headerMap,
            String host,
            byte[] content,
            Optional<String> user)
            implements HttpRequest {
        TestRequest withBody(String json) {
            return new TestRequest(method, path, headerMap, host, json.getBytes(StandardCharsets.UTF_8), user);
        }

        TestRequest withUser(String name) {
            return new TestRequest(method, path, headerMap, host, content, Optional.of(name));
        }

        @Override
        public Optional<String> header(String name) {
            return headerMap.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue)
                    .findFirst();
        }

        @Override
        public List<String> headers(String name) {
            return header(name).stream().toList();
        }

        @Override
        public Optional<String> queryParameter(String name) {
            return Optional.empty();
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public int port() {
            return 8080;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public long contentLength() {
            return content.length;
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(content);
        }

        @Override
        public Optional<String> userPrincipal() {
            return user;
        }
    }

    private static final class TestExchange implements HttpExchange {
        final TestRequest request;
        final BufferedResponse response = new BufferedResponse();

        TestExchange(TestRequest request) {
            this.request = request;
        }

        @Override
        public HttpRequest request() {
            return request;
        }

        @Override
        public HttpResponse response() {
            return response;
        }

        @Override
        public boolean upgradeToWebSocket(String subProtocol, Supplier<WsHandler> handler) {
            return false;
        }
    }
}
