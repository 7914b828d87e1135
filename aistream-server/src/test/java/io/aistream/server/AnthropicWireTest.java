package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ContentChunk;
import io.aistream.json.Jackson;
import io.aistream.sse.SseEvent;
import io.aistream.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** POST /v1/messages on the wire: the event stream, the message body, Anthropic's error shape, disconnects. */
@Timeout(30)
class AnthropicWireTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final String HI = "\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private static TestGateway gateway;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(b -> b.provider(new FixedProvider()).maxBodyBytes(4096));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        http.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return post("/v1/messages", body, Map.of());
    }

    private static HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("Content-Type", headers.getOrDefault("Content-Type", "application/json"))
                .header("anthropic-version", "2023-06-01")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach((name, value) -> {
            if (!name.equals("Content-Type")) {
                b.header(name, value);
            }
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The events of an SSE body as {@code name data} lines, checking each data's type is its name. */
    private static List<String> events(String body) {
        return java.util.Arrays.stream(body.split("\n\n"))
                .map(e -> {
                    String[] lines = e.split("\n");
                    assertThat(lines).hasSize(2);
                    assertThat(lines[0]).startsWith("event: ");
                    assertThat(lines[1]).startsWith("data: ");
                    String name = lines[0].substring(7);
                    JsonNode data = JSON.readTree(lines[1].substring(6));
                    assertThat(data.get("type").stringValue()).isEqualTo(name);
                    return name + " " + lines[1].substring(6);
                })
                .toList();
    }

    @Test
    void streamsAnthropicsEventSequence() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"fixed/mixed\",\"stream\":true," + HI + "}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        String streamId = r.headers().firstValue("X-Stream-Id").orElseThrow();
        String suffix = streamId.substring(3);
        List<String> events = events(r.body());
        assertThat(events.getFirst())
                .isEqualTo("message_start {\"type\":\"message_start\",\"message\":{\"id\":\"msg_" + suffix
                        + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fixed/mixed\",\"content\":[],"
                        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}}}");
        assertThat(events.subList(1, events.size()).stream().map(e -> e.substring(0, e.indexOf(' '))))
                .containsExactly(
                        "content_block_start", // thinking
                        "content_block_delta",
                        "content_block_stop",
                        "content_block_start", // text
                        "content_block_delta",
                        "content_block_stop",
                        "content_block_start", // tool_use call_1
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "content_block_start", // tool_use with a synthetic id
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop");
        assertThat(events.get(1)).contains("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
        assertThat(events.get(11)).contains("\"id\":\"toolu_" + suffix + "_1\",\"name\":\"get_time\"");
        assertThat(events.get(14))
                .isEqualTo("message_delta {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                        + "\"stop_sequence\":null},\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":0,"
                        + "\"cache_read_input_tokens\":0,\"output_tokens\":7}}");
    }

    @Test
    void nonStreamingAnswersOneMessage() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"fixed/mixed\"," + HI + "}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        String suffix = r.headers().firstValue("X-Stream-Id").orElseThrow().substring(3);
        assertThat(r.body())
                .isEqualTo("{\"id\":\"msg_" + suffix + "\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"fixed/mixed\",\"content\":["
                        + "{\"type\":\"thinking\",\"thinking\":\"Think.\",\"signature\":\"\"},"
                        + "{\"type\":\"text\",\"text\":\"Calling.\"},"
                        + "{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_" + suffix
                        + "_1\",\"name\":\"get_time\",\"input\":{}}],"
                        + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":7}}");
        JsonNode longer =
                JSON.readTree(post("{\"model\":\"fixed/long\"," + HI + "}").body());
        assertThat(longer.get("stop_reason").stringValue()).isEqualTo("max_tokens");
    }

    @Test
    void aStreamErrorIsAnErrorEventOrAnHttpError() throws Exception {
        List<String> events = events(
                post("{\"model\":\"fixed/fail\",\"stream\":true," + HI + "}").body());
        assertThat(events.getLast())
                .isEqualTo(
                        "error {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"fixed: slow down\"}}");
        assertThat(events).noneMatch(e -> e.startsWith("message_stop"));

        HttpResponse<String> r = post("{\"model\":\"fixed/fail\"," + HI + "}");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body())
                .isEqualTo(
                        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"fixed: slow down\"}}");
    }

    private static JsonNode error(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.propertyNames()).containsExactly("type", "error");
        assertThat(body.get("type").stringValue()).isEqualTo("error");
        assertThat(body.get("error").propertyNames()).containsExactly("type", "message");
        assertThat(body.get("error").get("type").stringValue()).isEqualTo(type);
        return body.get("error");
    }

    @Test
    void everyRefusalIsInAnthropicsShape() throws Exception {
        assertThat(error(post("{\"model\":"), 400, "invalid_request_error")
                        .get("message")
                        .stringValue())
                .startsWith("The request body is not valid JSON");
        assertThat(error(
                                post(
                                        "{\"model\":\"simulated/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                                400,
                                "invalid_request_error")
                        .get("message")
                        .stringValue())
                .isEqualTo("max_tokens: Field required");
        assertThat(error(
                                post(
                                        "{\"model\":\"simulated/echo\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                                                + "\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"document\"}]}]}"),
                                400,
                                "invalid_request_error")
                        .get("message")
                        .stringValue())
                .startsWith("messages[0].content[1].type: 'document' blocks are not supported");
        for (String model : List.of("nope/x", "simulated/nope", "nope")) {
            assertThat(error(post("{\"model\":\"" + model + "\"," + HI + "}"), 404, "not_found_error")
                            .get("message")
                            .stringValue())
                    .startsWith("model: The model '" + model + "' does not exist")
                    .contains("simulated/echo", "fixed/text");
        }
        assertThat(error(
                                post("/v1/messages/count_tokens", "{\"model\":\"nope\"," + HI + "}", Map.of()),
                                404,
                                "not_found_error")
                        .get("message")
                        .stringValue())
                .contains("'nope'");
        // too large a body, also for count_tokens: the body limit stops the read
        String huge = "{\"model\":\"simulated/echo\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(5000) + "\"}]}";
        error(post(huge), 413, "request_too_large");
        error(post("/v1/messages/count_tokens", huge, Map.of()), 413, "request_too_large");
        // not JSON
        error(post("/v1/messages", "{}", Map.of("Content-Type", "text/plain")), 415, "invalid_request_error");
        // a provider option the provider does not take is refused by the provider
        assertThat(error(post("{\"model\":\"simulated/echo\",\"top_k\":3," + HI + "}"), 400, "invalid_request_error")
                        .get("message")
                        .stringValue())
                .contains("top_k");
    }

    @Test
    void countTokensEstimates() throws Exception {
        HttpResponse<String> r = post(
                "/v1/messages/count_tokens",
                "{\"model\":\"simulated/echo\",\"system\":\"abcd\",\"messages\":[{\"role\":\"user\",\"content\":\"12345678\"}]}",
                Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"input_tokens\":7}"); // (4 + 8) / 4 + 4 for the message
    }

    @Test
    void authenticationIs401InAnthropicsShape() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.apiKeys(List.of("k-one-0123456789abc")))) {
            for (Map<String, String> headers : List.of(
                    Map.<String, String>of(),
                    Map.of("x-api-key", "wrong"),
                    Map.of("Authorization", "Bearer wrong"),
                    Map.of("x-api-key", "wrong", "Authorization", "Bearer k-one-0123456789abc"))) {
                try (RawHttp r = RawHttp.request(
                        g.port(), "POST", "/v1/messages", headers, "{\"model\":\"simulated/echo\"," + HI + "}")) {
                    assertThat(r.status()).as(headers.toString()).isEqualTo(401);
                    assertThat(r.bodyText())
                            .startsWith("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                                    + "\"message\":\"invalid x-api-key");
                }
            }
            for (Map<String, String> headers : List.of(
                    Map.of("x-api-key", "k-one-0123456789abc", "anthropic-beta", "whatever-2025-01-01"),
                    Map.of("Authorization", "Bearer k-one-0123456789abc"),
                    Map.of("x-api-key", " ", "Authorization", "Bearer k-one-0123456789abc"))) {
                try (RawHttp ok = RawHttp.request(
                        g.port(),
                        "POST",
                        "/v1/messages",
                        headers,
                        "{\"model\":\"simulated/echo\",\"stream\":true," + HI + "}")) {
                    assertThat(ok.status()).as(headers.toString()).isEqualTo(200);
                    assertThat(ok.bodyText()).endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
                }
            }
        }
    }

    @Test
    void clientDisconnectCancelsTheUpstream() throws Exception {
        RawHttp r = RawHttp.postJson(
                gateway.port(), "/v1/messages", "{\"model\":\"test/script\",\"stream\":true," + HI + "}");
        assertThat(r.status()).isEqualTo(200);
        var source = gateway.provider.nextSource();
        source.emit(ContentChunk.of("a"));
        var sse = r.sse();
        List<SseEvent> events = r.events(sse, 3);
        assertThat(events.get(2).data()).contains("\"text\":\"a\"");
        assertThat(source.isCancelled()).isFalse();
        r.close();
        source.awaitCancel();
    }

    @Test
    void clientDisconnectCancelsANonStreamingUpstream() throws Exception {
        RawHttp r = RawHttp.connect(gateway.port());
        r.send(
                "POST",
                "/v1/messages",
                Map.of("Content-Type", "application/json"),
                "{\"model\":\"test/script\"," + HI + "}");
        var source = gateway.provider.nextSource();
        source.emit(ContentChunk.of("a"));
        r.close();
        source.awaitCancel();
    }

    @Test
    void aBrowserMayCallWithAnthropicsHeaders() throws Exception {
        String origin = "https://app.example.com";
        try (TestGateway g = TestGateway.start(b -> b.corsOrigins(List.of(origin)));
                RawHttp r = RawHttp.request(
                        g.port(),
                        "OPTIONS",
                        "/v1/messages",
                        Map.of(
                                "Origin", origin,
                                "Access-Control-Request-Method", "POST",
                                "Access-Control-Request-Headers",
                                        "x-api-key, anthropic-version, anthropic-dangerous-direct-browser-access"),
                        null)) {
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Access-Control-Allow-Headers").orElseThrow())
                    .contains(
                            "x-api-key",
                            "anthropic-version",
                            "anthropic-beta",
                            "anthropic-dangerous-direct-browser-access");
        }
    }
}
