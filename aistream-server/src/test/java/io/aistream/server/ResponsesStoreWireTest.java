package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.server.config.ResponseStoreConfig;
import io.aistream.stream.VirtualTimeSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The responses POST /v1/responses keeps, on the wire against a real gateway with two API keys: a tool loop that
 * refers back to step 1 with item references exactly as {@code @ai-sdk/openai} sends them (store on, its
 * default), {@code previous_response_id}, GET and DELETE /v1/responses/{id}, unknown, expired and other keys'
 * ids, {@code store: false}, and the memory the kept responses take in /metrics.
 */
@Timeout(30)
class ResponsesStoreWireTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final String ALICE = "alice-key-0123456789";
    private static final String BOB = "bob-key-0123456789ab";
    private static final Duration TTL = Duration.ofMinutes(30);
    private static final String TOOLS = "[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"]},\"strict\":false}]";

    private static final VirtualTimeSource TIME = new VirtualTimeSource();
    private static TestGateway gateway;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(b -> b.apiKeys(List.of(ALICE, BOB))
                .timeSource(TIME)
                .storedResponses(new ResponseStoreConfig(4L << 20, 0, TTL)));
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

    private static HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(10));
        if (body == null) {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode create(String key, String body, int status) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/responses", key, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    /** A streamed answer's {@code response.completed} response. */
    private static JsonNode createStreamed(String key, String body) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/responses", key, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode completed = null;
        for (String line : r.body().lines().toList()) {
            if (line.startsWith("data: ")) {
                JsonNode event = JSON.readTree(line.substring(6));
                if (event.path("type").asString().equals("response.completed")) {
                    completed = event.get("response");
                }
            }
        }
        assertThat(completed).as(r.body()).isNotNull();
        return completed;
    }

    private static JsonNode output(JsonNode response, String type) {
        for (JsonNode item : response.get("output")) {
            if (item.path("type").asString().equals(type)) {
                return item;
            }
        }
        throw new AssertionError("no " + type + " item in " + response);
    }

    private static String text(JsonNode response) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : response.get("output")) {
            for (JsonNode part : item.path("content")) {
                text.append(part.path("text").asString(""));
            }
        }
        return text.toString();
    }

    private static JsonNode error(JsonNode body) {
        assertThat(body.get("error").propertyNames()).containsExactly("message", "type", "param", "code");
        return body.get("error");
    }

    /** Step 2 of a tool loop as {@code @ai-sdk/openai} sends it with store on: the step's text as a reference. */
    private static String stepTwo(JsonNode step1, String extra) {
        JsonNode message = output(step1, "message");
        JsonNode call = output(step1, "function_call");
        ArrayNode input = JSON.createArrayNode();
        input.addObject()
                .put("role", "user")
                .putArray("content")
                .addObject()
                .put("type", "input_text")
                .put("text", "weather in Paris?");
        input.addObject()
                .put("type", "item_reference")
                .put("id", message.get("id").asString());
        input.addObject()
                .put("type", "function_call")
                .put("call_id", call.get("call_id").asString())
                .put("name", call.get("name").asString())
                .put("arguments", call.get("arguments").asString());
        input.addObject()
                .put("type", "function_call_output")
                .put("call_id", call.get("call_id").asString())
                .put("output", "{\"temp\":21}");
        return "{\"model\":\"simulated/tools\",\"tools\":" + TOOLS + ",\"input\":" + input + extra + "}";
    }

    @Test
    void aToolLoopSendsStepOnesTextBackAsAnItemReferenceLikeTheAiSdk() throws Exception {
        JsonNode step1 = createStreamed(
                ALICE,
                "{\"model\":\"simulated/tools\",\"stream\":true,\"tools\":" + TOOLS
                        + ",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                        + "\"text\":\"weather in Paris?\"}]}]}");
        assertThat(step1.get("store").booleanValue()).isTrue();
        assertThat(text(step1)).startsWith("Let me call get_weather");

        // streamed and not: both keep what they answered
        JsonNode step2 = createStreamed(ALICE, stepTwo(step1, ",\"stream\":true"));
        assertThat(text(step2)).contains("get_weather tool returned {\"temp\":21}");
        JsonNode again = create(ALICE, stepTwo(step1, ""), 200);
        assertThat(text(again)).isEqualTo(text(step2));

        // the AI SDK sends reasoning items back by reference too
        JsonNode reasoned = createStreamed(
                ALICE, "{\"model\":\"simulated/reasoning\",\"stream\":true,\"input\":\"why is the sky blue?\"}");
        JsonNode next = create(
                ALICE,
                "{\"model\":\"simulated/echo\",\"input\":[{\"role\":\"user\",\"content\":\"why?\"},"
                        + "{\"type\":\"item_reference\",\"id\":\""
                        + output(reasoned, "reasoning").get("id").asString()
                        + "\"},{\"type\":\"item_reference\",\"id\":\""
                        + output(reasoned, "message").get("id").asString()
                        + "\"},{\"role\":\"user\",\"content\":\"tell me more\"}]}",
                200);
        assertThat(text(next)).isEqualTo("tell me more");

        // each item once, as OpenAI requires: a small body cannot multiply a big stored item
        String msg = output(reasoned, "message").get("id").asString();
        JsonNode e = error(create(
                ALICE,
                "{\"model\":\"simulated/echo\",\"input\":[{\"role\":\"user\",\"content\":\"why?\"},"
                        + "{\"type\":\"item_reference\",\"id\":\"" + msg + "\"},{\"id\":\"" + msg + "\"}]}",
                400));
        assertThat(e.get("param").asString()).isEqualTo("input[2].id");
        assertThat(e.get("message").asString()).contains("referenced more than once");
    }

    @Test
    void previousResponseIdContinuesTheStoredConversation() throws Exception {
        JsonNode step1 = create(
                ALICE, "{\"model\":\"simulated/tools\",\"tools\":" + TOOLS + ",\"input\":\"weather in Paris?\"}", 200);
        JsonNode call = output(step1, "function_call");
        JsonNode step2 = create(
                ALICE,
                "{\"model\":\"simulated/tools\",\"tools\":" + TOOLS + ",\"previous_response_id\":\""
                        + step1.get("id").asString() + "\",\"input\":[{\"type\":\"function_call_output\","
                        + "\"call_id\":\"" + call.get("call_id").asString() + "\",\"output\":\"sunny\"}]}",
                200);
        assertThat(step2.get("previous_response_id").asString())
                .isEqualTo(step1.get("id").asString());
        assertThat(text(step2)).contains("get_weather tool returned sunny");

        // a chain: step 2's stored input holds step 1's items, so step 3 sees the whole conversation
        JsonNode step3 = create(
                ALICE,
                "{\"model\":\"simulated/echo\",\"previous_response_id\":\""
                        + step2.get("id").asString() + "\",\"input\":\"thanks\"}",
                200);
        assertThat(text(step3)).isEqualTo("thanks");
        HttpResponse<String> stored =
                send("GET", "/v1/responses/" + step3.get("id").asString(), ALICE, null);
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(stored.body())).isEqualTo(step3);
    }

    @Test
    void getAndDeleteAStoredResponseInOpenAisShape() throws Exception {
        JsonNode created = create(ALICE, "{\"model\":\"simulated/echo\",\"input\":\"keep me\"}", 200);
        String id = created.get("id").asString();
        HttpResponse<String> got = send("GET", "/v1/responses/" + id, ALICE, null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(got.body())).isEqualTo(created);

        // bob's key does not see alice's response, exactly as if it did not exist
        HttpResponse<String> bobs = send("GET", "/v1/responses/" + id, BOB, null);
        assertThat(bobs.statusCode()).isEqualTo(404);
        assertThat(error(JSON.readTree(bobs.body())).get("message").asString()).contains("'" + id + "' not found");
        assertThat(send("DELETE", "/v1/responses/" + id, BOB, null).statusCode())
                .isEqualTo(404);

        HttpResponse<String> deleted = send("DELETE", "/v1/responses/" + id, ALICE, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(deleted.body()))
                .isEqualTo(JSON.readTree("{\"id\":\"" + id + "\",\"object\":\"response.deleted\",\"deleted\":true}"));
        assertThat(send("GET", "/v1/responses/" + id, ALICE, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/v1/responses/" + id, ALICE, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void anUnknownOrAnotherKeysReferenceIs404NamingTheItem() throws Exception {
        JsonNode alices = create(ALICE, "{\"model\":\"simulated/echo\",\"input\":\"secret\"}", 200);
        String itemId = output(alices, "message").get("id").asString();
        for (String id : List.of("msg_nope_0", itemId)) {
            JsonNode e = error(create(
                    BOB,
                    "{\"model\":\"simulated/echo\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"},"
                            + "{\"type\":\"item_reference\",\"id\":\"" + id + "\"}]}",
                    404));
            assertThat(e.get("param").asString()).isEqualTo("input[1].id");
            assertThat(e.get("type").asString()).isEqualTo("invalid_request_error");
            assertThat(e.get("message").asString())
                    .contains("'" + id + "' not found", "unknown or expired", "store: false");
        }
        JsonNode e = error(create(
                BOB,
                "{\"model\":\"simulated/echo\",\"input\":\"hi\",\"previous_response_id\":\""
                        + alices.get("id").asString() + "\"}",
                400));
        assertThat(e.get("code").asString()).isEqualTo("previous_response_not_found");
        assertThat(e.get("param").asString()).isEqualTo("previous_response_id");
    }

    @Test
    void storeFalseKeepsNothing() throws Exception {
        JsonNode created = create(ALICE, "{\"model\":\"simulated/echo\",\"input\":\"forget me\",\"store\":false}", 200);
        assertThat(created.get("store").booleanValue()).isFalse();
        assertThat(send("GET", "/v1/responses/" + created.get("id").asString(), ALICE, null)
                        .statusCode())
                .isEqualTo(404);
        create(
                ALICE,
                "{\"model\":\"simulated/echo\",\"input\":[{\"type\":\"item_reference\",\"id\":\""
                        + output(created, "message").get("id").asString() + "\"}]}",
                404);
    }

    @Test
    void aKeptResponseExpiresAfterItsTtl() throws Exception {
        JsonNode created = create(BOB, "{\"model\":\"simulated/echo\",\"input\":\"short-lived\"}", 200);
        String path = "/v1/responses/" + created.get("id").asString();
        TIME.advance(TTL.minusSeconds(1));
        assertThat(send("GET", path, BOB, null).statusCode()).isEqualTo(200);
        TIME.advance(Duration.ofSeconds(1));
        assertThat(send("GET", path, BOB, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theKeptBytesAreInTheMemoryBudgetAndBounded() throws Exception {
        List<String> ids = new ArrayList<>();
        String big = "w".repeat(100_000); // one word: ~100 KB of input, and as much echoed
        for (int i = 0; i < 40; i++) {
            ids.add(create(BOB, "{\"model\":\"simulated/echo\",\"input\":\"" + big + i + "\"}", 200)
                    .get("id")
                    .asString());
        }
        double kept = retained();
        assertThat(kept).isPositive().isLessThanOrEqualTo(2L << 20); // bob's share: half of the 4 MiB
        assertThat(send("GET", "/v1/responses/" + ids.getFirst(), BOB, null).statusCode())
                .isEqualTo(404); // evicted, oldest first
        assertThat(send("GET", "/v1/responses/" + ids.getLast(), BOB, null).statusCode())
                .isEqualTo(200);
        // a deleted response gives its bytes back
        assertThat(send("DELETE", "/v1/responses/" + ids.getLast(), BOB, null).statusCode())
                .isEqualTo(200);
        assertThat(retained()).isLessThan(kept);
    }

    /** What /metrics says the kept responses retain. */
    private static double retained() throws Exception {
        String name = "aistream_memory_retained_bytes{pool=\"responses\"} ";
        return send("GET", "/metrics", BOB, null)
                .body()
                .lines()
                .filter(l -> l.startsWith(name))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length())))
                .findFirst()
                .orElseThrow();
    }

    /** Keeps the response object echoing what was stored: store default true, previous_response_id null. */
    @Test
    void theResponseObjectSaysItIsStored() throws Exception {
        ObjectNode created = (ObjectNode) create(ALICE, "{\"model\":\"simulated/echo\",\"input\":\"x\"}", 200);
        assertThat(created.get("store").booleanValue()).isTrue();
        assertThat(created.get("previous_response_id").isNull()).isTrue();
    }
}
