package io.aistream.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.server.AistreamServer;
import io.aistream.server.config.ServerConfig;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import io.aistream.testing.UpstreamConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What a mounted gateway and stream-returning controllers must do on either stack; each subclass is
 * one {@code @SpringBootTest} (one context) on a random port. The simulated provider is unpaced with
 * fixed seeds, so answers are deterministic.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class MountContract {
    static final long SEED = 7;
    static final String CHUNK =
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";

    static FakeUpstream upstream;
    static AistreamServer gateway;

    @Autowired
    Environment environment;

    final HttpClient http = HttpClient.newHttpClient();

    static void properties(DynamicPropertyRegistry registry) throws IOException {
        if (upstream == null) {
            upstream = FakeUpstream.start();
        }
        registry.add("aistream.simulated.tokens-per-second", () -> "0");
        registry.add("aistream.providers.fake.protocol", () -> "openai-chat");
        registry.add("aistream.providers.fake.preset", () -> "vllm");
        registry.add("aistream.providers.fake.base-url", () -> upstream.baseUri() + "/v1");
        registry.add("management.endpoints.web.exposure.include", () -> "health,prometheus");
        registry.add("management.endpoint.health.show-details", () -> "always");
        // Boot's test support turns metrics export off unless asked; an application has it on
        registry.add("management.defaults.metrics.export.enabled", () -> "true");
        registry.add("management.endpoint.health.show-components", () -> "always");
        System.out.println("seed " + SEED);
    }

    @BeforeAll
    static void startGateway() throws IOException {
        ProviderRegistry registry = ProviderRegistry.builder()
                .config(Jackson.mapper().readTree("{\"simulated\":{\"tokensPerSecond\":0}}"), Set.of())
                .build();
        gateway = AistreamServer.start(
                ServerConfig.builder().port(0).providers(registry.asProviders()).build());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
    }

    int port() {
        return Integer.parseInt(environment.getProperty("local.server.port"));
    }

    String base() {
        return "";
    }

    HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String lorem(int length) {
        return "{\"provider\":\"simulated\",\"model\":\"lorem\",\"providerOptions\":{\"seed\":" + SEED + ",\"length\":"
                + length + "},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static String normalized(HttpResponse<String> response) {
        String id = response.headers().firstValue("x-stream-id").orElse("none");
        return response.body().replace(id, "ID");
    }

    @Test
    void mountedNativeStreamIsByteExactWithTheGateway() throws Exception {
        HttpResponse<String> mounted = post(port(), base() + "/v1/stream", lorem(30));
        HttpResponse<String> reference = post(gateway.port(), "/v1/stream", lorem(30));
        assertThat(mounted.statusCode()).isEqualTo(200);
        assertThat(mounted.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(normalized(mounted)).isEqualTo(normalized(reference)).endsWith("data: [DONE]\n\n");
    }

    @Test
    void aBadRequestGetsTheGatewaysError() throws Exception {
        String body = "{\"provider\":\"simulated\"}";
        HttpResponse<String> mounted = post(port(), base() + "/v1/stream", body);
        HttpResponse<String> reference = post(gateway.port(), "/v1/stream", body);
        assertThat(mounted.statusCode()).isEqualTo(reference.statusCode()).isBetween(400, 499);
        assertThat(mounted.body()).isEqualTo(reference.body());
    }

    @Test
    void theOpenAiRouteIsMounted() throws Exception {
        HttpResponse<String> r = post(
                port(),
                base() + "/v1/chat/completions",
                "{\"model\":\"simulated/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("chat.completion.chunk").endsWith("data: [DONE]\n\n");
    }

    @Test
    void theOpenAiJavaClientStreamsThroughTheMountedRoute() {
        com.openai.client.OpenAIClient client = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port() + base() + "/v1")
                .apiKey("sk-not-checked")
                .maxRetries(0)
                .build();
        try {
            StringBuilder text = new StringBuilder();
            try (com.openai.core.http.StreamResponse<com.openai.models.chat.completions.ChatCompletionChunk> s =
                    client.chat()
                            .completions()
                            .createStreaming(com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
                                    .model("simulated/echo")
                                    .addUserMessage("hello from openai java")
                                    .build())) {
                s.stream()
                        .forEach(chunk ->
                                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
            }
            assertThat(text.toString()).isEqualTo("hello from openai java");
        } finally {
            client.close();
        }
    }

    @Test
    void theWebSocketRouteIsMounted() throws Exception {
        java.util.concurrent.BlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://127.0.0.1:" + port() + base() + "/v1/ws"),
                        new java.net.http.WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public java.util.concurrent.CompletionStage<?> onText(
                                    java.net.http.WebSocket ws, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    messages.add(text.toString());
                                    text.setLength(0);
                                }
                                ws.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        try {
            socket.sendText("{\"type\":\"start\",\"stream\":\"a\",\"request\":" + lorem(5) + "}", true)
                    .get(10, TimeUnit.SECONDS);
            StringBuilder all = new StringBuilder();
            String message;
            do {
                message = messages.poll(10, TimeUnit.SECONDS);
                assertThat(message).as("a message, after %s", all).isNotNull();
                all.append(message).append('\n');
            } while (!message.contains("\"type\":\"done\""));
            assertThat(all.toString()).contains("\"stream\":\"a\"").contains("\"type\":\"content\"");
        } finally {
            socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    @Test
    void anApplicationEndpointUnderV1StaysTheApplications() throws Exception {
        HttpResponse<String> r = get("/v1/app/hello");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from the app");
    }

    @Test
    void aControllerReturningAChatStreamWritesNativeSse() throws Exception {
        HttpResponse<String> r = post(port(), "/chat/native", "hello streaming world");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(r.body()).contains("retry: ").contains("streaming").endsWith("data: [DONE]\n\n");
    }

    @Test
    void aControllerReturningOpenAiWritesChatCompletionChunks() throws Exception {
        HttpResponse<String> r = post(port(), "/chat/openai", "hello world");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .contains("chat.completion.chunk")
                .contains("\"model\":\"echo\"")
                .endsWith("data: [DONE]\n\n");
    }

    @Test
    void aControllerReturningTheUiStreamWritesIt() throws Exception {
        HttpResponse<String> r = post(port(), "/chat/ui", "hello world");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-vercel-ai-ui-message-stream")).hasValue("v1");
        assertThat(r.body()).contains("text-delta").endsWith("data: [DONE]\n\n");
    }

    @Test
    void aControllerReturningAFluxOfChunksWritesNativeSse() throws Exception {
        HttpResponse<String> r = post(port(), "/chat/flux", "from a flux");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("from a flux").endsWith("data: [DONE]\n\n");
    }

    @Test
    void aControllerReturningAMonoOfAChatStreamWritesNativeSse() throws Exception {
        HttpResponse<String> r = post(port(), "/chat/mono", "from a mono");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(r.body()).contains("retry: ").contains("mono").endsWith("data: [DONE]\n\n");
    }

    @Test
    void actuatorShowsTheMetricsAndTheProviders() throws Exception {
        assertThat(post(port(), base() + "/v1/stream", lorem(5)).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.statusCode()).as(get("/actuator").body()).isEqualTo(200);
        assertThat(metrics.body()).contains("aistream_streams_started_total").contains("aistream_aborts_total");
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.body())
                .contains("\"aistream\"")
                .contains("\"simulated\"")
                .contains("\"fake\"");
    }

    @Test
    void aClientLeavingAMountedStreamClosesTheUpstreamWithin100ms() throws Exception {
        disconnect(
                base() + "/v1/stream",
                "{\"provider\":\"fake\",\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    @Test
    void aClientLeavingAControllerStreamClosesTheUpstreamWithin100ms() throws Exception {
        disconnect("/chat/native?provider=fake&model=m", "hi");
    }

    private void disconnect(String path, String body) throws Exception {
        int before = upstream.connections().size();
        // chunks keep flowing (a Servlet container sees a client's close at its next write), then a stall
        Script script = Script.sse().header("cache-control", "no-cache").framing(Script.Framing.CLOSE_DELIMITED);
        for (int i = 0; i < 1000; i++) {
            script.send(CHUNK).pause(Duration.ofMillis(5));
        }
        upstream.enqueue(script.stall());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket("127.0.0.1", port());
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("Hel")) {
                int b = in.read();
                assertThat(b)
                        .as("the stream ended before its first chunk: %s", seen)
                        .isNotEqualTo(-1);
                seen.append((char) b);
            }
            UpstreamConnection connection = upstream.awaitConnection(before);
            long closed = System.nanoTime();
            socket.close();
            long seenClosed = connection.awaitClosedByClient();
            Duration took = Duration.ofNanos(seenClosed - closed);
            System.out.println(
                    path + ": the upstream saw its connection closed " + took.toMillis() + " ms after the client left");
            assertThat(took).isLessThanOrEqualTo(Duration.ofMillis(100));
        } finally {
            socket.close();
        }
    }
}
