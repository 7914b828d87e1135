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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** POST /v1/chat/completions on the wire: exact SSE bytes, the chat.completion body, error shapes, disconnects. */
@Timeout(30)
class OpenAiWireTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final Pattern CREATED = Pattern.compile("\"created\":(\\d+),");
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

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
        return post(body, Map.of());
    }

    private static HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The expected SSE text: every {@code data} line gets the stream's head. */
    private static String expected(HttpResponse<String> response, String model, List<String> events) {
        String id = "chatcmpl-" + response.headers().firstValue("X-Stream-Id").orElseThrow();
        Matcher created = CREATED.matcher(response.body());
        assertThat(created.find()).isTrue();
        String head = "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":"
                + created.group(1) + ",\"model\":\"" + model + "\"";
        StringBuilder sb = new StringBuilder();
        for (String e : events) {
            sb.append(e.startsWith("data: ") ? e : head + e).append("\n\n");
        }
        return sb.toString();
    }

    private static String delta(String delta) {
        return ",\"choices\":[{\"index\":0,\"delta\":{" + delta + "},\"logprobs\":null,\"finish_reason\":null}]}";
    }

    private static String finish(String reason) {
        return ",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"" + reason + "\"}]}";
    }

    @Test
    void streamsExactlyOpenAisBytesWithUsage() throws Exception {
        HttpResponse<String> r = post(
                "{\"model\":\"fixed/text\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," + HI + "}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(r.body())
                .isEqualTo(expected(
                        r,
                        "fixed/text",
                        List.of(
                                delta("\"role\":\"assistant\",\"content\":\"\""),
                                delta("\"content\":\"Hel\""),
                                delta("\"content\":\"lo \\\"wörld\\\"\\n\""),
                                finish("stop"),
                                ",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}",
                                "data: [DONE]")));
    }

    @Test
    void withoutIncludeUsageThereIsNoUsageChunk() throws Exception {
        for (String options : List.of("", "\"stream_options\":{\"include_usage\":false},")) {
            HttpResponse<String> r = post("{\"model\":\"fixed/long\",\"stream\":true," + options + HI + "}");
            assertThat(r.body())
                    .as(options)
                    .isEqualTo(expected(
                            r,
                            "fixed/long",
                            List.of(
                                    delta("\"role\":\"assistant\",\"content\":\"\""),
                                    delta("\"content\":\"cut\""),
                                    finish("length"),
                                    "data: [DONE]")));
        }
    }

    @Test
    void reasoningAndToolCallDeltas() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"fixed/mixed\",\"stream\":true," + HI + "}");
        String streamId = r.headers().firstValue("X-Stream-Id").orElseThrow();
        String syntheticId = "call_" + streamId.substring(3) + "_1";
        assertThat(r.body())
                .isEqualTo(expected(
                        r,
                        "fixed/mixed",
                        List.of(
                                delta("\"role\":\"assistant\",\"content\":\"\""),
                                delta("\"reasoning_content\":\"Think.\""),
                                delta("\"content\":\"Calling.\""),
                                delta(
                                        "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                                                + "\"arguments\":\"{\\\"ci\"}}]"),
                                delta(
                                        "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\": \\\"Paris\\\"}\"}}]"),
                                delta("\"tool_calls\":[{\"index\":1,\"id\":\"" + syntheticId
                                        + "\",\"type\":\"function\",\"function\":"
                                        + "{\"name\":\"get_time\",\"arguments\":\"{}\"}}]"),
                                finish("tool_calls"),
                                "data: [DONE]")));
    }

    @Test
    void anErrorEndsTheStreamWithAnErrorEventAndNoDone() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"fixed/fail\",\"stream\":true," + HI + "}");
        assertThat(r.body())
                .isEqualTo(expected(
                        r,
                        "fixed/fail",
                        List.of(
                                delta("\"role\":\"assistant\",\"content\":\"\""),
                                delta("\"content\":\"a\""),
                                "data: {\"error\":{\"message\":\"fixed: slow down\",\"type\":\"rate_limit_error\",\"param\":null,"
                                        + "\"code\":\"rate_limited\"}}")));
    }

    @Test
    void nonStreamingAnswersOneChatCompletion() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"fixed/mixed\"," + HI + "}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        JsonNode body = JSON.readTree(r.body());
        String streamId = r.headers().firstValue("X-Stream-Id").orElseThrow();
        assertThat(body.get("id").stringValue()).isEqualTo("chatcmpl-" + streamId);
        assertThat(body.get("object").stringValue()).isEqualTo("chat.completion");
        assertThat(body.get("model").stringValue()).isEqualTo("fixed/mixed");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("finish_reason").stringValue()).isEqualTo("tool_calls");
        JsonNode message = choice.get("message");
        assertThat(message.get("role").stringValue()).isEqualTo("assistant");
        assertThat(message.get("content").stringValue()).isEqualTo("Calling.");
        assertThat(message.get("reasoning_content").stringValue()).isEqualTo("Think.");
        JsonNode call = message.get("tool_calls").get(0);
        assertThat(call.get("id").stringValue()).isEqualTo("call_1");
        assertThat(call.get("type").stringValue()).isEqualTo("function");
        assertThat(call.get("function").get("name").stringValue()).isEqualTo("get_weather");
        // parsed, then serialized compactly
        assertThat(call.get("function").get("arguments").stringValue()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(message.get("tool_calls").get(1).get("id").stringValue())
                .isEqualTo("call_" + streamId.substring(3) + "_1");
        assertThat(body.get("usage").toString())
                .isEqualTo("{\"prompt_tokens\":10,\"completion_tokens\":7,\"total_tokens\":17}");
    }

    @Test
    void nonStreamingFailureIsAnHttpErrorInOpenAisShape() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"fixed/fail\"," + HI + "}");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body())
                .isEqualTo("{\"error\":{\"message\":\"fixed: slow down\",\"type\":\"rate_limit_error\","
                        + "\"param\":null,\"code\":\"rate_limited\"}}");
    }

    private static JsonNode error(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.propertyNames()).containsExactly("error");
        assertThat(body.get("error").propertyNames()).containsExactly("message", "type", "param", "code");
        return body.get("error");
    }

    @Test
    void badInputIsA400NamingTheParameter() throws Exception {
        JsonNode e = error(post("{\"model\":"), 400);
        assertThat(e.get("type").stringValue()).isEqualTo("invalid_request_error");
        assertThat(e.get("message").stringValue()).startsWith("We could not parse the JSON body");
        assertThat(e.get("param").isNull()).isTrue();

        e = error(post("{\"model\":\"simulated/echo\"}"), 400);
        assertThat(e.get("param").stringValue()).isEqualTo("messages");
        assertThat(e.get("code").stringValue()).isEqualTo("missing_required_parameter");

        Map<String, String> wrongTypes = Map.of(
                "{\"model\":\"simulated/echo\",\"messages\":\"hi\"}",
                "messages",
                "{\"model\":7," + HI + "}",
                "model",
                "{\"model\":\"simulated/echo\",\"temperature\":\"hot\"," + HI + "}",
                "temperature",
                "{\"model\":\"simulated/echo\",\"stream\":\"yes\"," + HI + "}",
                "stream",
                "{\"model\":\"simulated/echo\",\"seed\":1.5," + HI + "}",
                "seed",
                "{\"model\":\"simulated/echo\",\"messages\":[{\"role\":\"user\",\"content\":5}]}",
                "messages[0].content",
                "{\"model\":\"simulated/echo\",\"stop\":[\"a\",1]," + HI + "}",
                "stop[1]",
                "{\"model\":\"simulated/echo\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":[]}}],"
                        + HI + "}",
                "tools[0].function.parameters");
        for (Map.Entry<String, String> c : wrongTypes.entrySet()) {
            e = error(post(c.getKey()), 400);
            assertThat(e.get("param").stringValue()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(e.get("code").stringValue()).as(c.getKey()).isEqualTo("invalid_type");
            assertThat(e.get("message").stringValue())
                    .as(c.getKey())
                    .startsWith("Invalid type for '" + c.getValue() + "'");
        }

        e = error(post("{\"model\":\"simulated/echo\",\"temprature\":0.5," + HI + "}"), 400);
        assertThat(e.get("param").stringValue()).isEqualTo("temprature");
        assertThat(e.get("code").stringValue()).isEqualTo("unknown_parameter");

        e = error(post("{\"model\":\"simulated/echo\",\"temperature\":3," + HI + "}"), 400);
        assertThat(e.get("param").stringValue()).isEqualTo("temperature");
        assertThat(e.get("code").stringValue()).isEqualTo("invalid_value");

        e = error(
                post(
                        "{\"model\":\"simulated/echo\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"x\",\"content\":\"1\"}]}"),
                400);
        assertThat(e.get("param").stringValue()).isEqualTo("messages[0].tool_call_id");

        e = error(post("{\"model\":\"simulated/echo\",\"stream_options\":{\"include_usage\":true}," + HI + "}"), 400);
        assertThat(e.get("param").stringValue()).isEqualTo("stream_options");

        // a pass-through option that would change the answer and the provider cannot honour is refused by it
        e = error(post("{\"model\":\"simulated/echo\",\"frequency_penalty\":0.5," + HI + "}"), 400);
        assertThat(e.get("message").stringValue()).contains("'frequency_penalty'");
        e = error(post("{\"model\":\"simulated/echo\",\"store\":true," + HI + "}"), 400);
        assertThat(e.get("message").stringValue()).contains("'store'");
    }

    @Test
    void parametersThatChangeNothingAreAcceptedByTheSimulatedProvider() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"simulated/echo\",\"user\":\"u1\",\"store\":false,"
                + "\"parallel_tool_calls\":true,\"frequency_penalty\":0,\"presence_penalty\":0,\"n\":1,"
                + "\"logprobs\":false,\"top_logprobs\":0,\"response_format\":{\"type\":\"text\"},"
                + "\"service_tier\":\"auto\",\"metadata\":{\"k\":\"v\"},\"safety_identifier\":\"s\","
                + "\"prompt_cache_key\":\"p\"," + HI + "}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).at("/choices/0/message/content").stringValue())
                .isEqualTo("hi");
    }

    @Test
    void aConversationSentBackAsAClientGotItIsAccepted() throws Exception {
        // Spring AI 1.x names tool results; the openai SDKs echo refusal, annotations, parsed, audio: null
        HttpResponse<String> r = post("{\"model\":\"simulated/echo\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"weather?\",\"name\":\"ann\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"refusal\":null,\"annotations\":[],"
                + "\"audio\":null,\"function_call\":null,\"parsed\":null,\"tool_calls\":[{\"id\":\"c1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"name\":\"w\",\"content\":\"sunny\"},"
                + "{\"role\":\"user\",\"content\":\"thanks\"}]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).at("/choices/0/message/content").stringValue())
                .isEqualTo("thanks");
    }

    @Test
    void unknownModelIs404ListingWhatExists() throws Exception {
        for (String model : List.of("nope/x", "simulated/nope", "nope")) {
            JsonNode e = error(post("{\"model\":\"" + model + "\"," + HI + "}"), 404);
            assertThat(e.get("code").stringValue()).isEqualTo("model_not_found");
            assertThat(e.get("param").stringValue()).isEqualTo("model");
            assertThat(e.get("message").stringValue())
                    .contains("'" + model + "'", "simulated/echo", "simulated/tools", "fixed/text", "test/script");
        }
    }

    @Test
    void aProviderNameAloneUsesItsDefaultModel() throws Exception {
        HttpResponse<String> r =
                post("{\"model\":\"simulated\",\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body())
                        .get("choices")
                        .get(0)
                        .get("message")
                        .get("content")
                        .stringValue())
                .isEqualTo("one two");
    }

    @Test
    void tooLargeABodyIs413InOpenAisShape() throws Exception {
        JsonNode e = error(
                post("{\"model\":\"simulated/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000)
                        + "\"}]}"),
                413);
        assertThat(e.get("type").stringValue()).isEqualTo("invalid_request_error");
    }

    @Test
    void authenticationIs401InOpenAisShape() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.apiKeys(List.of("k-one-0123456789abc")))) {
            for (Map<String, String> headers :
                    List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer wrong"))) {
                try (RawHttp r = RawHttp.request(
                        g.port(),
                        "POST",
                        "/v1/chat/completions",
                        headers,
                        "{\"model\":\"simulated/echo\"," + HI + "}")) {
                    assertThat(r.status()).isEqualTo(401);
                    assertThat(r.header("WWW-Authenticate")).contains("Bearer");
                    JsonNode e = JSON.readTree(r.bodyText()).get("error");
                    assertThat(e.get("type").stringValue()).isEqualTo("invalid_request_error");
                    assertThat(e.get("code").stringValue()).isEqualTo("invalid_api_key");
                    assertThat(e.get("param").isNull()).isTrue();
                }
            }
            try (RawHttp ok = RawHttp.request(
                    g.port(),
                    "POST",
                    "/v1/chat/completions",
                    Map.of("Authorization", "Bearer k-one-0123456789abc"),
                    "{\"model\":\"simulated/echo\",\"stream\":true," + HI + "}")) {
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.bodyText()).endsWith("data: [DONE]\n\n");
            }
        }
    }

    @Test
    void clientDisconnectCancelsTheUpstream() throws Exception {
        RawHttp r = RawHttp.postJson(
                gateway.port(), "/v1/chat/completions", "{\"model\":\"test/script\",\"stream\":true," + HI + "}");
        assertThat(r.status()).isEqualTo(200);
        var source = gateway.provider.nextSource();
        source.emit(ContentChunk.of("a"));
        var sse = r.sse();
        List<SseEvent> events = r.events(sse, 2);
        assertThat(events.get(1).data()).contains("\"content\":\"a\"");
        assertThat(source.isCancelled()).isFalse();
        r.close();
        source.awaitCancel();
    }

    @Test
    void clientDisconnectCancelsANonStreamingUpstream() throws Exception {
        RawHttp r = RawHttp.connect(gateway.port());
        r.send(
                "POST",
                "/v1/chat/completions",
                Map.of("Content-Type", "application/json"),
                "{\"model\":\"test/script\"," + HI + "}");
        var source = gateway.provider.nextSource();
        source.emit(ContentChunk.of("a"));
        r.close();
        source.awaitCancel();
    }
}
