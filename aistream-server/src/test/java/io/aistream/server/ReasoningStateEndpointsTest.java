package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ReasoningState;
import io.aistream.json.Jackson;
import io.aistream.request.AssistantPart;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reasoning state and usage details through each gateway endpoint, on a real gateway: a provider
 * stream with states ({@link StatefulProvider}) comes out in the endpoint's fields, and the client's
 * next request, built from what it got as its protocol's clients build it, reaches the provider with
 * the same assistant turn the native model makes of the answer ({@link StatefulProvider#assistantTurn}):
 * the signed blocks, in order.
 */
@Timeout(60)
class ReasoningStateEndpointsTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestGateway gateway;
    private static StatefulProvider provider;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        provider = new StatefulProvider();
        gateway = TestGateway.start(b -> b.provider(provider));
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

    @BeforeEach
    void forget() {
        provider.forget();
    }

    // ---- OpenAI Chat Completions

    @Test
    void chatStreamCarriesClaudeBlocksAndTheUsageDetails() throws Exception {
        List<JsonNode> chunks = sse(post(
                "/v1/chat/completions",
                "{\"model\":\"stateful/claude\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}"));
        List<JsonNode> deltas = new ArrayList<>();
        JsonNode usage = null;
        for (JsonNode chunk : chunks) {
            if (chunk.path("choices").isEmpty()) {
                usage = chunk.get("usage");
            } else {
                deltas.add(chunk.at("/choices/0/delta"));
            }
        }
        assertThat(deltas)
                .extracting(d -> d.path("reasoning_content").asString(""))
                .contains("Let me ", "think.");
        List<JsonNode> blocks = deltas.stream()
                .filter(d -> d.has("thinking_blocks"))
                .map(d -> d.get("thinking_blocks"))
                .toList();
        assertThat(blocks)
                .as("one delta per ended block: the whole text with its signature, then the redacted block")
                .containsExactly(
                        JSON.readTree(
                                "[{\"type\":\"thinking\",\"thinking\":\"Let me think.\",\"signature\":\"sig-1\"}]"),
                        JSON.readTree("[{\"type\":\"redacted_thinking\",\"data\":\"red-1\"}]"));
        assertThat(usage)
                .isEqualTo(JSON.readTree("{\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":60},"
                        + "\"completion_tokens_details\":{\"reasoning_tokens\":5}}"));
    }

    @Test
    void chatAnswerWithClaudeBlocksComesBackAsTheSameSignedTurn() throws Exception {
        JsonNode answer = JSON.readTree(post(
                        "/v1/chat/completions",
                        "{\"model\":\"stateful/claude\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}")
                .body());
        JsonNode message = answer.at("/choices/0/message");
        assertThat(message.get("reasoning_content").asString()).isEqualTo("Let me think.");
        assertThat(message.get("thinking_blocks"))
                .isEqualTo(
                        JSON.readTree("[{\"type\":\"thinking\",\"thinking\":\"Let me think.\",\"signature\":\"sig-1\"},"
                                + "{\"type\":\"redacted_thinking\",\"data\":\"red-1\"}]"));
        assertThat(answer.at("/usage/prompt_tokens_details/cached_tokens").asLong())
                .isEqualTo(60);
        provider.nextRequest(WAIT);

        // the client sends the message back as it got it (LiteLLM's clients do), with the tool's result
        ChatRequest next = nextChatTurn(message, "toolu_1");
        assertThat(next.messages().get(1)).isEqualTo(StatefulProvider.assistantTurn("claude"));
    }

    @Test
    void chatCarriesGeminiSignaturesInExtraContentBothWays() throws Exception {
        List<JsonNode> chunks = sse(
                post(
                        "/v1/chat/completions",
                        "{\"model\":\"stateful/gemini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Rome?\"}]}"));
        List<JsonNode> deltas =
                chunks.stream().map(c -> c.at("/choices/0/delta")).toList();
        assertThat(deltas)
                .filteredOn(d -> d.path("content").asString("").equals("Looking."))
                .singleElement()
                .satisfies(d -> assertThat(
                                d.at("/extra_content/google/thought_signature").asString())
                        .isEqualTo("g-1"));
        assertThat(deltas)
                .filteredOn(d -> d.has("tool_calls"))
                .singleElement()
                .satisfies(d -> assertThat(d.at("/tool_calls/0/extra_content/google/thought_signature")
                                .asString())
                        .isEqualTo("g-2"));
        provider.nextRequest(WAIT);

        JsonNode message = JSON.readTree(post(
                                "/v1/chat/completions",
                                "{\"model\":\"stateful/gemini\",\"messages\":[{\"role\":\"user\",\"content\":\"Rome?\"}]}")
                        .body())
                .at("/choices/0/message");
        assertThat(message.at("/extra_content/google/thought_signature").asString())
                .isEqualTo("g-1");
        assertThat(message.at("/tool_calls/0/extra_content/google/thought_signature")
                        .asString())
                .isEqualTo("g-2");
        provider.nextRequest(WAIT);

        ChatRequest next = nextChatTurn(message, "call_g");
        assertThat(next.messages().get(1)).isEqualTo(StatefulProvider.assistantTurn("gemini"));
    }

    @Test
    void chatReadsResponsesItemsBackFromReasoningDetails() throws Exception {
        JsonNode message = JSON.readTree(post(
                                "/v1/chat/completions",
                                "{\"model\":\"stateful/responses\",\"messages\":[{\"role\":\"user\",\"content\":\"Go\"}]}")
                        .body())
                .at("/choices/0/message");
        assertThat(message.get("reasoning_details"))
                .isEqualTo(JSON.readTree("[{\"type\":\"reasoning.summary\",\"id\":\"rs_up\",\"summary\":\"Summary.\","
                        + "\"format\":\"openai-responses-v1\",\"index\":0},"
                        + "{\"type\":\"reasoning.encrypted\",\"id\":\"rs_up\",\"data\":\"enc-1\","
                        + "\"format\":\"openai-responses-v1\",\"index\":1}]"));
        provider.nextRequest(WAIT);

        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", "Go");
        messages.add(message);
        messages.addObject().put("role", "user").put("content", "More");
        ObjectNode body = JSON.createObjectNode().put("model", "stateful/claude");
        body.set("messages", messages);
        assertThat(post("/v1/chat/completions", body.toString()).statusCode()).isEqualTo(200);
        assertThat(provider.nextRequest(WAIT).messages().get(1)).isEqualTo(StatefulProvider.assistantTurn("responses"));
    }

    @Test
    void chatUsageTheProviderDidNotReportIsNotMadeUp() throws Exception {
        List<JsonNode> chunks = sse(post(
                "/v1/chat/completions",
                "{\"model\":\"stateful/unknown-usage\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        assertThat(chunks.getLast().get("usage").isNull()).isTrue();
        JsonNode answer = JSON.readTree(post(
                        "/v1/chat/completions",
                        "{\"model\":\"stateful/unknown-usage\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .body());
        assertThat(answer.has("usage")).isFalse();
    }

    @Test
    void chatRefusesABlockWithoutItsSignatureNamingIt() throws Exception {
        HttpResponse<String> r = post(
                "/v1/chat/completions",
                "{\"model\":\"stateful/claude\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                        + "{\"role\":\"assistant\",\"content\":\"b\",\"thinking_blocks\":[{\"type\":\"thinking\",\"thinking\":\"t\"}]},"
                        + "{\"role\":\"user\",\"content\":\"c\"}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("param").asString()).isEqualTo("messages[1].thinking_blocks[0].signature");
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
    }

    /** The second request of a chat conversation: the user's question, {@code message} as got, the tool's result. */
    private ChatRequest nextChatTurn(JsonNode message, String callId) throws Exception {
        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", "Weather?");
        messages.add(message);
        messages.addObject().put("role", "tool").put("tool_call_id", callId).put("content", "sunny");
        ObjectNode body = JSON.createObjectNode().put("model", "stateful/claude");
        body.set("messages", messages);
        HttpResponse<String> r = post("/v1/chat/completions", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return provider.nextRequest(WAIT);
    }

    // ---- Anthropic Messages

    @Test
    void messagesStreamSignsTheThinkingBlockAndReportsUsageInAnthropicsTerms() throws Exception {
        List<JsonNode> events = sse(post(
                "/v1/messages",
                "{\"model\":\"stateful/claude\",\"max_tokens\":2048,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}"));
        List<String> shape = events.stream()
                .map(e -> e.get("type").asString()
                        + (e.has("delta") && e.get("delta").has("type")
                                ? ":" + e.at("/delta/type").asString()
                                : "")
                        + (e.has("content_block")
                                ? ":" + e.at("/content_block/type").asString()
                                : ""))
                .toList();
        assertThat(shape)
                .containsExactly(
                        "message_start",
                        "content_block_start:thinking",
                        "content_block_delta:thinking_delta",
                        "content_block_delta:thinking_delta",
                        "content_block_delta:signature_delta",
                        "content_block_stop",
                        "content_block_start:redacted_thinking",
                        "content_block_stop",
                        "content_block_start:text",
                        "content_block_delta:text_delta",
                        "content_block_stop",
                        "content_block_start:tool_use",
                        "content_block_delta:input_json_delta",
                        "content_block_delta:input_json_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop");
        assertThat(events.get(4).at("/delta/signature").asString()).isEqualTo("sig-1");
        assertThat(events.get(4).get("index").asInt()).isZero();
        assertThat(events.get(6).at("/content_block/data").asString()).isEqualTo("red-1");
        assertThat(events.get(15).get("usage"))
                .isEqualTo(JSON.readTree("{\"input_tokens\":30,\"cache_creation_input_tokens\":10,"
                        + "\"cache_read_input_tokens\":60,\"output_tokens\":20}"));
    }

    @Test
    void messagesAnswerComesBackAsTheSameSignedTurn() throws Exception {
        JsonNode message = JSON.readTree(post(
                        "/v1/messages",
                        "{\"model\":\"stateful/claude\",\"max_tokens\":2048,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}")
                .body());
        assertThat(message.get("content"))
                .isEqualTo(
                        JSON.readTree(
                                "[{\"type\":\"thinking\",\"thinking\":\"Let me think.\",\"signature\":\"sig-1\"},"
                                        + "{\"type\":\"redacted_thinking\",\"data\":\"red-1\"},"
                                        + "{\"type\":\"text\",\"text\":\"Checking.\"},"
                                        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]"));
        assertThat(message.get("usage"))
                .isEqualTo(JSON.readTree("{\"input_tokens\":30,\"cache_creation_input_tokens\":10,"
                        + "\"cache_read_input_tokens\":60,\"output_tokens\":20}"));
        provider.nextRequest(WAIT);

        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", "Weather?");
        messages.addObject().put("role", "assistant").set("content", message.get("content"));
        ObjectNode result = messages.addObject().put("role", "user");
        result.putArray("content")
                .addObject()
                .put("type", "tool_result")
                .put("tool_use_id", "toolu_1")
                .put("content", "sunny");
        ObjectNode body =
                JSON.createObjectNode().put("model", "stateful/claude").put("max_tokens", 2048);
        body.set("messages", messages);
        HttpResponse<String> r = post("/v1/messages", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ChatRequest next = provider.nextRequest(WAIT);
        assertThat(next.messages().get(1)).isEqualTo(StatefulProvider.assistantTurn("claude"));
    }

    // ---- OpenAI Responses

    @Test
    void responsesGiveTheReasoningItemItsUpstreamIdAndEncryptedContentWhenAsked() throws Exception {
        String request = "{\"model\":\"stateful/responses\",\"stream\":true,\"store\":false,%s\"input\":\"Go\"}";
        List<JsonNode> events =
                sse(post("/v1/responses", request.formatted("\"include\":[\"reasoning.encrypted_content\"],")));
        JsonNode done = events.stream()
                .filter(e -> e.get("type").asString().equals("response.output_item.done"))
                .findFirst()
                .orElseThrow()
                .get("item");
        assertThat(done)
                .isEqualTo(
                        JSON.readTree(
                                "{\"id\":\"rs_up\",\"type\":\"reasoning\","
                                        + "\"summary\":[{\"type\":\"summary_text\",\"text\":\"Summary.\"}],\"encrypted_content\":\"enc-1\"}"));
        JsonNode completed = events.getLast().get("response");
        assertThat(completed.at("/usage/input_tokens").asLong()).isEqualTo(100);
        assertThat(completed.at("/usage/input_tokens_details/cached_tokens").asLong())
                .isEqualTo(60);
        assertThat(completed.at("/usage/output_tokens_details/reasoning_tokens").asLong())
                .isEqualTo(5);
        provider.nextRequest(WAIT);

        List<JsonNode> without = sse(post("/v1/responses", request.formatted("")));
        assertThat(without.stream()
                        .filter(e -> e.get("type").asString().equals("response.output_item.done"))
                        .findFirst()
                        .orElseThrow()
                        .get("item")
                        .has("encrypted_content"))
                .as("encrypted content only when include asks for it")
                .isFalse();
        provider.nextRequest(WAIT);

        // the client's next turn: its input, the output items as it got them, a new question
        ArrayNode input = JSON.createArrayNode();
        input.addObject().put("role", "user").put("content", "Go");
        completed.get("output").forEach(input::add);
        input.addObject().put("role", "user").put("content", "More");
        ObjectNode body =
                JSON.createObjectNode().put("model", "stateful/claude").put("store", false);
        body.set("input", input);
        HttpResponse<String> r = post("/v1/responses", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ChatRequest next = provider.nextRequest(WAIT);
        assertThat(next.messages().get(1)).isEqualTo(StatefulProvider.assistantTurn("responses"));
    }

    // ---- the native API

    @Test
    void nativeStreamRoundTripsStatesAsTheyAre() throws Exception {
        String sse = post(
                        "/v1/stream",
                        "{\"provider\":\"stateful\",\"model\":\"claude\","
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}")
                .body();
        assertThat(sse)
                .contains("\"state\":{\"source\":\"anthropic\",\"signature\":\"sig-1\"}")
                .contains("\"state\":{\"source\":\"anthropic\",\"redacted\":\"red-1\"}")
                .contains("\"cacheReadTokens\":60");
        provider.nextRequest(WAIT);

        HttpResponse<String> r = post(
                "/v1/stream",
                "{\"provider\":\"stateful\",\"model\":\"claude\",\"messages\":["
                        + "{\"role\":\"user\",\"content\":\"Weather?\"},"
                        + "{\"role\":\"assistant\",\"parts\":["
                        + "{\"type\":\"reasoning\",\"text\":\"Let me think.\",\"state\":{\"source\":\"anthropic\",\"signature\":\"sig-1\"}},"
                        + "{\"type\":\"reasoning\",\"text\":\"\",\"state\":{\"source\":\"anthropic\",\"redacted\":\"red-1\"}},"
                        + "{\"type\":\"text\",\"text\":\"Checking.\"},"
                        + "{\"type\":\"tool_call\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}]},"
                        + "{\"role\":\"tool\",\"toolCallId\":\"toolu_1\",\"name\":\"get_weather\",\"content\":\"sunny\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(provider.nextRequest(WAIT).messages().get(1))
                .isEqualTo(StatefulProvider.assistantTurn("claude"))
                .isEqualTo(new Message.Assistant(List.of(
                        new AssistantPart.Reasoning(
                                "Let me think.",
                                Optional.of(ReasoningState.signature(ReasoningState.ANTHROPIC, "sig-1"))),
                        new AssistantPart.Reasoning(
                                "", Optional.of(ReasoningState.redacted(ReasoningState.ANTHROPIC, "red-1"))),
                        new AssistantPart.Text("Checking."),
                        new AssistantToolCall("toolu_1", "get_weather", JSON.readTree("{\"city\":\"Paris\"}")))));
    }

    // ---- helpers

    private static HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON of every {@code data:} line but {@code [DONE]}. */
    private static List<JsonNode> sse(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                events.add(JSON.readTree(line.substring(6)));
            }
        }
        return events;
    }
}
