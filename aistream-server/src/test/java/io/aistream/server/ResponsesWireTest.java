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

/** POST /v1/responses on the wire against a real gateway: events, the response object, errors, aborts. */
@Timeout(30)
class ResponsesWireTest {
    private static final JsonMapper JSON = Jackson.mapper();

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
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/responses"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> types(String sse) {
        return sse.lines()
                .filter(l -> l.startsWith("event: "))
                .map(l -> l.substring(7))
                .toList();
    }

    @Test
    void streamsTypedEventsEndingWithResponseCompleted() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"fixed/mixed\",\"input\":\"hi\",\"stream\":true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        String streamId = r.headers().firstValue("X-Stream-Id").orElseThrow();
        assertThat(types(r.body()))
                .containsExactly(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.reasoning_summary_part.added",
                        "response.reasoning_summary_text.delta",
                        "response.reasoning_summary_text.done",
                        "response.reasoning_summary_part.done",
                        "response.output_item.done",
                        "response.output_item.added",
                        "response.content_part.added",
                        "response.output_text.delta",
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.output_item.added",
                        "response.function_call_arguments.delta",
                        "response.function_call_arguments.delta",
                        "response.output_item.added",
                        "response.function_call_arguments.delta",
                        "response.function_call_arguments.done",
                        "response.output_item.done",
                        "response.function_call_arguments.done",
                        "response.output_item.done",
                        "response.completed");
        assertThat(r.body())
                .startsWith("event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,"
                        + "\"response\":{\"id\":\"resp_" + streamId + "\",\"object\":\"response\",");
        String last = r.body()
                .lines()
                .filter(l -> l.startsWith("data: "))
                .reduce((a, b) -> b)
                .orElseThrow();
        JsonNode completed = JSON.readTree(last.substring(6)).get("response");
        assertThat(completed.get("model").stringValue()).isEqualTo("fixed/mixed");
        assertThat(completed.get("usage").get("total_tokens").intValue()).isEqualTo(17);
        assertThat(completed.get("output").get(2).get("call_id").stringValue()).isEqualTo("call_1");
    }

    @Test
    void nonStreamingAnswersTheResponseObject() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"fixed/text\",\"input\":\"hi\",\"instructions\":\"terse\","
                + "\"temperature\":0.5,\"metadata\":{\"k\":\"v\"},\"user\":\"u1\",\"store\":false}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        String streamId = r.headers().firstValue("X-Stream-Id").orElseThrow();
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("id").stringValue()).isEqualTo("resp_" + streamId);
        assertThat(body.get("object").stringValue()).isEqualTo("response");
        assertThat(body.get("status").stringValue()).isEqualTo("completed");
        assertThat(body.get("instructions").stringValue()).isEqualTo("terse");
        assertThat(body.get("temperature").doubleValue()).isEqualTo(0.5);
        assertThat(body.get("metadata").toString()).isEqualTo("{\"k\":\"v\"}");
        assertThat(body.get("user").stringValue()).isEqualTo("u1");
        assertThat(body.get("store").booleanValue()).isFalse();
        assertThat(body.get("output").get(0).get("content").get(0).get("text").stringValue())
                .isEqualTo("Hello \"wörld\"\n");
        assertThat(body.get("usage").get("input_tokens").intValue()).isEqualTo(3);
    }

    @Test
    void aLengthStopIsIncompleteNotAnError() throws Exception {
        JsonNode body = JSON.readTree(
                post("{\"model\":\"fixed/long\",\"input\":\"hi\"}").body());
        assertThat(body.get("status").stringValue()).isEqualTo("incomplete");
        assertThat(body.get("incomplete_details").get("reason").stringValue()).isEqualTo("max_output_tokens");
        HttpResponse<String> streamed = post("{\"model\":\"fixed/long\",\"input\":\"hi\",\"stream\":true}");
        assertThat(types(streamed.body()).getLast()).isEqualTo("response.incomplete");
    }

    @Test
    void aFailureIsAnErrorEventAndResponseFailedOrAnHttpError() throws Exception {
        HttpResponse<String> streamed = post("{\"model\":\"fixed/fail\",\"input\":\"hi\",\"stream\":true}");
        List<String> types = types(streamed.body());
        assertThat(types.subList(types.size() - 2, types.size())).containsExactly("error", "response.failed");
        assertThat(streamed.body())
                .contains("data: {\"type\":\"error\",\"sequence_number\":" + (types.size() - 2)
                        + ",\"error\":{\"type\":\"rate_limit_error\",\"code\":\"rate_limited\",\"message\":\"fixed: slow down\","
                        + "\"param\":null}}\n\n");

        HttpResponse<String> r = post("{\"model\":\"fixed/fail\",\"input\":\"hi\"}");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body())
                .isEqualTo("{\"error\":{\"message\":\"fixed: slow down\",\"type\":\"rate_limit_error\","
                        + "\"param\":null,\"code\":\"rate_limited\"}}");
    }

    private static JsonNode error(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.propertyNames()).containsExactly("error");
        assertThat(body.get("error").propertyNames()).containsExactly("message", "type", "param", "code");
        return body.get("error");
    }

    @Test
    void badInputIsA400InOpenAisShapeNamingTheParameter() throws Exception {
        JsonNode e = error(post("{\"model\":"), 400);
        assertThat(e.get("message").stringValue()).startsWith("We could not parse the JSON body");
        e = error(post("{\"model\":\"simulated/echo\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}"), 400);
        assertThat(e.get("param").stringValue()).isEqualTo("previous_response_id");
        assertThat(e.get("code").stringValue()).isEqualTo("previous_response_not_found");
        e = error(post("{\"model\":\"simulated/echo\",\"input\":\"hi\",\"conversation\":\"conv_1\"}"), 400);
        assertThat(e.get("param").stringValue()).isEqualTo("conversation");
        e = error(
                post("{\"model\":\"simulated/echo\",\"input\":[{\"role\":\"user\",\"content\":\"a\"},"
                        + "{\"type\":\"computer_call\"}]}"),
                400);
        assertThat(e.get("param").stringValue()).isEqualTo("input[1].type");
        e = error(post("{\"model\":\"simulated/echo\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}"), 400);
        assertThat(e.get("param").stringValue()).isEqualTo("tools[0].type");
        e = error(post("{\"model\":\"simulated/echo\",\"input\":\"hi\",\"bogus\":1}"), 400);
        assertThat(e.get("code").stringValue()).isEqualTo("unknown_parameter");
        e = error(post("{\"model\":\"simulated/echo\",\"input\":\"" + "x".repeat(5000) + "\"}"), 413);
        assertThat(e.get("type").stringValue()).isEqualTo("invalid_request_error");
    }

    @Test
    void anUnknownModelIs404ListingWhatExists() throws Exception {
        JsonNode e = error(post("{\"model\":\"nope/x\",\"input\":\"hi\"}"), 404);
        assertThat(e.get("code").stringValue()).isEqualTo("model_not_found");
        assertThat(e.get("param").stringValue()).isEqualTo("model");
        assertThat(e.get("message").stringValue()).contains("'nope/x'", "simulated/echo");
    }

    @Test
    void deleteAbortsTheStreamWhichEndsFailedWithStreamAborted() throws Exception {
        try (RawHttp r = RawHttp.postJson(
                gateway.port(), "/v1/responses", "{\"model\":\"test/script\",\"input\":\"hi\",\"stream\":true}")) {
            assertThat(r.status()).isEqualTo(200);
            String id = r.header("X-Stream-Id").orElseThrow();
            var source = gateway.provider.nextSource();
            source.emit(ContentChunk.of("a"));
            var sse = r.sse();
            List<SseEvent> events = r.events(sse, 5); // created, in_progress, item added, part added, delta
            assertThat(events.get(4).event()).isEqualTo("response.output_text.delta");
            try (RawHttp delete = RawHttp.request(gateway.port(), "DELETE", "/v1/streams/" + id, Map.of(), null)) {
                assertThat(delete.bodyText()).isEqualTo("{\"id\":\"" + id + "\",\"aborted\":true}");
            }
            source.awaitCancel();
            List<SseEvent> rest = r.events(sse, 2);
            assertThat(rest).extracting(SseEvent::event).containsExactly("error", "response.failed");
            assertThat(JSON.readTree(rest.get(1).data())
                            .get("response")
                            .get("error")
                            .get("code")
                            .stringValue())
                    .isEqualTo("stream_aborted");
        }
    }

    @Test
    void clientDisconnectCancelsTheUpstream() throws Exception {
        RawHttp r = RawHttp.postJson(
                gateway.port(), "/v1/responses", "{\"model\":\"test/script\",\"input\":\"hi\",\"stream\":true}");
        assertThat(r.status()).isEqualTo(200);
        var source = gateway.provider.nextSource();
        source.emit(ContentChunk.of("a"));
        r.events(r.sse(), 5);
        assertThat(source.isCancelled()).isFalse();
        r.close();
        source.awaitCancel();
    }

    @Test
    void authenticationIs401InOpenAisShape() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.apiKeys(List.of("k-one-0123456789abc")));
                RawHttp r = RawHttp.request(
                        g.port(),
                        "POST",
                        "/v1/responses",
                        Map.of(),
                        "{\"model\":\"simulated/echo\",\"input\":\"hi\"}")) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(JSON.readTree(r.bodyText()).get("error").get("code").stringValue())
                    .isEqualTo("invalid_api_key");
        }
    }
}
