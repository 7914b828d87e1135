package io.aistream.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.AistreamServer;
import io.aistream.server.assembly.GatewayRoutes;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.config.WebSocketConfig;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RawHttp;
import io.aistream.testing.Script;
import io.aistream.testing.UpstreamConnection;
import io.aistream.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The binding's contract, run against each container by a subclass: the gateway's routes behind an
 * {@link AistreamServlet} behave, on the wire, as the Jetty gateway's do. Real containers on free
 * ports, real sockets; the simulated provider is unpaced with a fixed seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class ServletContract {
    /** The simulated provider's seed (fixed, printed). */
    static final long SEED = 20261207L;

    static final int MAX_BODY = 16 * 1024;
    static final int MAX_WS_MESSAGE = 1024;

    private GatewayRoutes routes;
    private Container container;
    private AistreamServer reference;

    /** Starts the container under test. */
    abstract Container start(GatewayRoutes routes, String mapping) throws Exception;

    static ServerConfig config(Consumer<ServerConfig.Builder> customize) {
        ServerConfig.Builder b = ServerConfig.builder()
                .port(0)
                .provider(new SimulatedProvider())
                .maxBodyBytes(MAX_BODY)
                .webSocket(WebSocketConfig.defaults().withMaxMessageBytes(MAX_WS_MESSAGE));
        customize.accept(b);
        return b.build();
    }

    @BeforeAll
    void startBoth() throws Exception {
        System.out.println(getClass().getSimpleName() + ": simulated seed " + SEED);
        routes = GatewayRoutes.create(config(b -> {}));
        container = start(routes, "/*");
        reference = AistreamServer.start(config(b -> {}));
    }

    @AfterAll
    void stopBoth() throws Exception {
        if (container != null) {
            container.close();
        }
        if (routes != null) {
            routes.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    int port() {
        return container.port();
    }

    static String lorem(String extra) {
        return "{\"provider\":\"simulated\",\"model\":\"lorem\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"providerOptions\":{\"seed\":" + SEED + ",\"length\":40" + extra + "}}";
    }

    /** The body of a native stream with its stream id replaced (the one thing that must differ). */
    static String normalizedStream(int port, String path, String json) throws Exception {
        try (RawHttp http = RawHttp.postJson(port, path, json)) {
            assertThat(http.status()).isEqualTo(200);
            assertThat(http.header("content-type").map(ServletContract::mediaType))
                    .hasValue("text/event-stream;charset=utf-8");
            String id = http.header("x-stream-id").orElseThrow();
            return http.bodyText().replace(id, "<stream-id>");
        }
    }

    /** A Content-Type without spaces, lower case: how containers render the same media type differs. */
    static String mediaType(String contentType) {
        return contentType.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** The stream's done event (the last event is the {@code [DONE]} sentinel). */
    static SseEvent done(List<SseEvent> events) {
        return events.stream()
                .filter(e -> e.data().contains("\"type\":\"done\""))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no done event in " + events));
    }

    @Test
    void nativeSseIsByteExactWithTheJettyGateway() throws Exception {
        String servlet = normalizedStream(port(), "/v1/stream", lorem(""));
        String jetty = normalizedStream(reference.port(), "/v1/stream", lorem(""));
        assertThat(servlet).contains("\"type\":\"done\"").isEqualTo(jetty);
    }

    @Test
    void openAiChatCompletionsStream() throws Exception {
        HttpResponse<String> r = post(
                "/v1/chat/completions",
                "{\"model\":\"simulated/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(r.body()).contains("\"object\":\"chat.completion.chunk\"").endsWith("data: [DONE]\n\n");
        assertThat(r.body()).contains("Hello").contains("there");
    }

    @Test
    void uiChatStream() throws Exception {
        HttpResponse<String> r = post(
                "/v1/ui/chat?provider=simulated&model=echo",
                "{\"id\":\"c\",\"messages\":[{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"ping pong\"}]}],"
                        + "\"trigger\":\"submit-message\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-vercel-ai-ui-message-stream")).hasValue("v1");
        assertThat(r.body())
                .contains("\"type\":\"text-delta\"")
                .contains("pong")
                .endsWith("data: [DONE]\n\n");
    }

    @Test
    void modelsList() throws Exception {
        HttpResponse<String> r =
                send(java.net.http.HttpRequest.newBuilder(uri("/v1/models")).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Jackson.mapper().readTree(r.body());
        List<String> ids = new ArrayList<>();
        body.get("data").forEach(m -> ids.add(m.get("id").asString()));
        assertThat(ids).contains("simulated/echo", "simulated/lorem");
    }

    @Test
    void resumeAfterLastEventId() throws Exception {
        List<SseEvent> all;
        String id;
        try (RawHttp http = RawHttp.postJson(
                port(), "/v1/stream", lorem("").replace("\"messages\"", "\"resumable\":true,\"messages\""))) {
            assertThat(http.status()).isEqualTo(200);
            id = http.header("x-stream-id").orElseThrow();
            all = http.events(http.sse(), 1000);
        }
        done(all);
        try (RawHttp resumed =
                RawHttp.request(port(), "GET", "/v1/streams/" + id, Map.of("Last-Event-ID", "2"), null)) {
            assertThat(resumed.status()).isEqualTo(200);
            List<SseEvent> rest = resumed.events(resumed.sse(), 1000);
            assertThat(rest).isNotEmpty();
            assertThat(rest.getFirst().lastEventId()).isEqualTo("3");
            assertThat(rest.stream().map(SseEvent::data).toList())
                    .isEqualTo(all.stream()
                            .filter(e -> !e.lastEventId().isEmpty() && Long.parseLong(e.lastEventId()) > 2)
                            .map(SseEvent::data)
                            .toList());
        }
    }

    @Test
    void deleteAbortsARunningStream() throws Exception {
        try (RawHttp http = RawHttp.postJson(port(), "/v1/stream", lorem(",\"stallAfter\":2"))) {
            assertThat(http.status()).isEqualTo(200);
            String id = http.header("x-stream-id").orElseThrow();
            SseReader events = http.sse();
            assertThat(http.events(events, 2)).hasSize(2);
            try (RawHttp delete = RawHttp.request(port(), "DELETE", "/v1/streams/" + id, Map.of(), null)) {
                assertThat(delete.status()).isEqualTo(200);
                assertThat(delete.bodyText()).isEqualTo("{\"id\":\"" + id + "\",\"aborted\":true}");
            }
            List<SseEvent> rest = http.events(events, 100);
            assertThat(done(rest).data()).contains("\"finishReason\":\"aborted\"");
        }
    }

    @Test
    void keepAliveCommentWhileTheUpstreamStalls() throws Exception {
        try (GatewayRoutes quick = GatewayRoutes.create(config(b -> b.keepAliveInterval(Duration.ofMillis(100))));
                Container c = start(quick, "/*");
                RawHttp http = RawHttp.postJson(c.port(), "/v1/stream", lorem(",\"stallAfter\":1"))) {
            assertThat(http.status()).isEqualTo(200);
            String chunk;
            do {
                chunk = http.nextHttpChunk();
            } while (chunk != null && !chunk.startsWith(":"));
            assertThat(chunk).as("a keep-alive comment").isNotNull().endsWith("\n\n");
        }
    }

    @Test
    void badRequestsAreAnsweredAsTheJettyGatewayDoes() throws Exception {
        List<String> bodies = List.of(
                "{not json",
                "{\"provider\":\"nope\",\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                lorem("").replace("\"hi\"", "\"" + "x".repeat(MAX_BODY) + "\""));
        List<Integer> statuses = new ArrayList<>();
        for (String body : bodies) {
            try (RawHttp servlet = RawHttp.postJson(port(), "/v1/stream", body);
                    RawHttp jetty = RawHttp.postJson(reference.port(), "/v1/stream", body)) {
                assertThat(servlet.status()).isEqualTo(jetty.status());
                // Tomcat writes the Content-Type it parsed, without the space before the charset
                assertThat(servlet.header("content-type").map(ServletContract::mediaType))
                        .isEqualTo(jetty.header("content-type").map(ServletContract::mediaType));
                assertThat(servlet.bodyText()).isEqualTo(jetty.bodyText());
                statuses.add(servlet.status());
            }
        }
        assertThat(statuses).containsExactly(400, 404, 413);
    }

    @Test
    void anUnknownPathIsTheGatewaysJson404() throws Exception {
        try (RawHttp http = RawHttp.request(port(), "GET", "/v1/nothing", Map.of(), null)) {
            assertThat(http.status()).isEqualTo(404);
            assertThat(http.bodyText()).contains("\"code\":\"not_found\"");
        }
    }

    @Test
    void aBadQueryEscapeIs400() throws Exception {
        try (RawHttp http = RawHttp.request(port(), "GET", "/v1/streams/st_x?after=%zz", Map.of(), null)) {
            assertThat(http.status()).isEqualTo(400);
        }
    }

    /** A {@code /} the client encoded stays inside its segment (the container must let %2F through: see package-info). */
    @Test
    void anEncodedSlashStaysInsideItsSegment() throws Exception {
        try (RawHttp http = RawHttp.request(port(), "GET", "/v1/models/simulated%2Fecho", Map.of(), null)) {
            assertThat(http.status()).isEqualTo(200);
            assertThat(Jackson.mapper().readTree(http.bodyText()).get("id").asString())
                    .isEqualTo("simulated/echo");
        }
        try (RawHttp http = RawHttp.request(port(), "GET", "/v1/models/a%2F..%2F..%2Fhealth", Map.of(), null)) {
            assertThat(http.status()).isEqualTo(404);
        }
    }

    @Test
    void aBrokenChunkedBodyIs400() throws Exception {
        try (RawHttp http = RawHttp.connect(port())) {
            String head = "POST /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"pro\r\nzz\r\n";
            http.socket().getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            http.socket().getOutputStream().flush();
            http.readHead();
            assertThat(http.status()).isEqualTo(400);
        }
    }

    @Test
    void aBodyCutShortIs400() throws Exception {
        try (RawHttp http = RawHttp.connect(port())) {
            String head = "POST /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"provider\":";
            http.socket().getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            http.socket().shutdownOutput();
            http.readHead();
            assertThat(http.status()).isEqualTo(400);
            // Jetty ee10 lets the gateway answer (its JSON); Tomcat flags the failed read itself and
            // answers with its own status page, from which the binding removes the exception
            assertThat(http.bodyText()).doesNotContain("Exception").doesNotContain("at java.");
        }
    }

    @Test
    void clientDisconnectWhileChunksFlowClosesTheUpstreamWithin100ms() throws Exception {
        Script script = Script.sse().header("cache-control", "no-cache").framing(Script.Framing.CLOSE_DELIMITED);
        for (int i = 0; i < 1000; i++) {
            script.send(UPSTREAM_CHUNK).pause(Duration.ofMillis(5));
        }
        assertUpstreamClosedPromptly(script.stall(), false, Duration.ofSeconds(15), 100);
    }

    /**
     * The connection watch ends with the stream: the next request on the same keep-alive connection
     * is answered (the watch never reads the connection, nor fires for a finished stream).
     */
    @Test
    void theNextRequestOnTheSameConnectionIsAnsweredAfterAStream() throws Exception {
        try (RawHttp http = RawHttp.connect(port())) {
            for (int i = 0; i < 3; i++) {
                http.send("POST", "/v1/stream", Map.of("Content-Type", "application/json"), lorem(""));
                http.readHead();
                assertThat(http.status()).isEqualTo(200);
                assertThat(done(http.events(http.sse(), 1000)).data()).contains("\"finishReason\":\"stop\"");
                assertThat(http.body().read()).as("the response ended").isEqualTo(-1);
            }
        }
    }

    /**
     * A stalled upstream with quick keep-alives: the close is seen (by the connection watch, or at the
     * latest by the keep-alive after next, whose write fails).
     */
    @Test
    void clientDisconnectWhileIdleIsSeenByTheKeepAlives() throws Exception {
        Script script = Script.sse()
                .header("cache-control", "no-cache")
                .framing(Script.Framing.CLOSE_DELIMITED)
                .send(UPSTREAM_CHUNK)
                .stall();
        assertUpstreamClosedPromptly(script, true, Duration.ofMillis(100), 1000);
    }

    /**
     * A stalled upstream: nothing is written, and the binding still sees the close at once, by watching
     * the connection itself (Jetty ee10: {@link JettyCoreWatch}; Tomcat: {@link TomcatChannelWatch}).
     */
    @Test
    void clientDisconnectWhileIdleClosesTheUpstream() throws Exception {
        Script script = Script.sse()
                .header("cache-control", "no-cache")
                .framing(Script.Framing.CLOSE_DELIMITED)
                .send(UPSTREAM_CHUNK)
                .stall();
        assertUpstreamClosedPromptly(script, true, Duration.ofSeconds(15), 100);
    }

    private static final String UPSTREAM_CHUNK =
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";

    private void assertUpstreamClosedPromptly(Script script, boolean waitForStall, Duration keepAlive, long boundMillis)
            throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.enqueue(script);
            ProviderRegistry registry = ProviderRegistry.builder()
                    .config(
                            Jackson.mapper()
                                    .readTree(
                                            "{\"providers\":{\"up\":{\"protocol\":\"openai-chat\",\"preset\":\"vllm\",\"baseUrl\":\"%s/v1\"}}}"
                                                    .formatted(upstream.baseUri())),
                            Set.of())
                    .build();
            try (GatewayRoutes up = GatewayRoutes.create(ServerConfig.builder()
                            .port(0)
                            .providers(registry.asProviders())
                            .keepAliveInterval(keepAlive)
                            .build());
                    Container c = start(up, "/*")) {
                RawHttp client = RawHttp.postJson(
                        c.port(),
                        "/v1/stream",
                        "{\"provider\":\"up\",\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(client.status()).isEqualTo(200);
                List<SseEvent> first = client.events(client.sse(), 1);
                assertThat(first.getFirst().data()).contains("\"delta\":\"Hel\"");
                UpstreamConnection connection = upstream.awaitConnection(0);
                if (waitForStall) {
                    connection.stalled().get(upstream.guard().toNanos(), TimeUnit.NANOSECONDS);
                }
                long closedAt = System.nanoTime();
                client.close();
                // the upstream sees the close by reading end-of-stream, or by its next write failing
                // (then its script ends): the earlier of the two events
                java.util.concurrent.CompletableFuture<Long> gone = new java.util.concurrent.CompletableFuture<>();
                connection.closedByClient().thenAccept(gone::complete);
                connection.ended().whenComplete((v, e) -> gone.complete(System.nanoTime()));
                long seen = gone.get(upstream.guard().toNanos(), TimeUnit.NANOSECONDS);
                long millis = TimeUnit.NANOSECONDS.toMillis(seen - closedAt);
                System.out.println(getClass().getSimpleName() + ": upstream closed " + millis + " ms after the client");
                assertThat(millis).isLessThanOrEqualTo(boundMillis);
            }
        }
    }

    @Test
    void webSocketStreamsAndAborts() throws Exception {
        try (WsClient ws = WsClient.connect(port())) {
            ws.start("a", lorem(",\"stallAfter\":3"));
            JsonNode first = ws.next();
            assertThat(first.get("stream").asString()).isEqualTo("a");
            ws.next();
            ws.send("{\"type\":\"abort\",\"stream\":\"a\"}");
            List<JsonNode> rest = ws.untilDone("a");
            assertThat(rest.getLast().get("finishReason").asString()).isEqualTo("aborted");
        }
    }

    @Test
    void anOversizedWebSocketMessageIsAnsweredThenClosed1009() throws Exception {
        try (WsClient ws = WsClient.connect(port())) {
            ws.send(
                    "{\"type\":\"start\",\"stream\":\"a\",\"request\":{\"provider\":\"simulated\",\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"" + "x".repeat(2 * MAX_WS_MESSAGE) + "\"}]}}");
            JsonNode error = ws.next();
            assertThat(error.at("/error/code").asString()).isEqualTo("message_too_large");
            assertThat(ws.awaitClose()).isEqualTo(new WsClient.Close(1009, "message_too_large"));
        }
    }

    @Test
    void aBasePathMountServesUnderItOnly() throws Exception {
        try (Container c = start(routes, "/ai/*")) {
            try (RawHttp http = RawHttp.postJson(c.port(), "/ai/v1/stream", lorem(""))) {
                assertThat(http.status()).isEqualTo(200);
                done(http.events(http.sse(), 1000));
            }
            try (RawHttp http = RawHttp.postJson(c.port(), "/v1/stream", lorem(""))) {
                // the container's own answer (Tomcat: 404; Jetty's default servlet: 405 for a POST)
                assertThat(http.status()).isIn(404, 405);
                assertThat(http.header("x-stream-id")).isEmpty();
            }
            try (WsClient ws = WsClient.connect(c.port(), "/ai/v1/ws", "", Map.of())) {
                ws.start("a", lorem(""));
                assertThat(ws.untilDone("a").getLast().get("finishReason").asString())
                        .isNotEmpty();
            }
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return send(java.net.http.HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<String> send(java.net.http.HttpRequest.Builder request) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
