package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.server.config.ServerConfig;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RawHttp;
import io.aistream.testing.RecordedRequest;
import io.aistream.testing.Script;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Extended thinking with a tool through the OpenAI-compatible and the Messages endpoints, on an
 * Anthropic upstream on raw sockets: the signed thinking block Anthropic streamed reaches the client in
 * its protocol's field, and the client's next turn (its answer sent back with the tool's result) makes
 * the gateway send Anthropic the same block, signature and all, before the tool call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClaudeThinkingRoundTripTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final String THINKING_THEN_TOOL = event(
                    "message_start",
                    "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                            + "\"model\":\"claude-x\",\"content\":[],\"usage\":{\"input_tokens\":5,"
                            + "\"cache_read_input_tokens\":40,\"cache_creation_input_tokens\":3,\"output_tokens\":1}}}")
            + event(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}")
            + event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Need the weather.\"}}")
            + event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBsig\"}}")
            + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
            + event(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"get_weather\",\"input\":{}}}")
            + event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}")
            + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")
            + event(
                    "message_delta",
                    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":12}}")
            + event("message_stop", "{\"type\":\"message_stop\"}");
    private static final String SHORT_ANSWER = event(
                    "message_start",
                    "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\","
                            + "\"model\":\"claude-x\",\"content\":[],\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}")
            + event(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
            + event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Sunny.\"}}")
            + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
            + event(
                    "message_delta",
                    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}")
            + event("message_stop", "{\"type\":\"message_stop\"}");
    private static final String SIGNED_TURN =
            "[{\"type\":\"thinking\",\"thinking\":\"Need the weather.\",\"signature\":\"EqQBsig\"},"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]";

    @Test
    void theSignedThinkingBlockGoesBackToAnthropicThroughEveryEndpoint() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            ProviderRegistry registry = ProviderRegistry.builder()
                    .config(
                            JSON.readTree("{\"providers\":{\"claude\":{\"protocol\":\"anthropic\",\"baseUrl\":\""
                                    + upstream.baseUri() + "\",\"apiKey\":\"a-key\"}}}"),
                            Set.of())
                    .build();
            try (AistreamServer server = AistreamServer.start(ServerConfig.builder()
                    .port(0)
                    .providers(registry.asProviders())
                    .build())) {
                // OpenAI Chat Completions: thinking_blocks out, and back in
                upstream.enqueue(sse(THINKING_THEN_TOOL));
                JsonNode answer = post(
                        server,
                        "/v1/chat/completions",
                        "{\"model\":\"claude/claude-x\","
                                + "\"reasoning_effort\":\"low\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}");
                JsonNode message = answer.at("/choices/0/message");
                assertThat(message.get("thinking_blocks"))
                        .isEqualTo(
                                JSON.readTree(
                                        "[{\"type\":\"thinking\",\"thinking\":\"Need the weather.\",\"signature\":\"EqQBsig\"}]"));
                assertThat(answer.get("usage"))
                        .as("prompt_tokens counts the cached input")
                        .isEqualTo(JSON.readTree("{\"prompt_tokens\":48,\"completion_tokens\":12,\"total_tokens\":60,"
                                + "\"prompt_tokens_details\":{\"cached_tokens\":40}}"));

                upstream.enqueue(sse(SHORT_ANSWER));
                ArrayNode messages = JSON.createArrayNode();
                messages.addObject().put("role", "user").put("content", "Weather?");
                messages.add(message);
                messages.addObject()
                        .put("role", "tool")
                        .put("tool_call_id", "toolu_9")
                        .put("content", "sunny");
                ObjectNode body =
                        JSON.createObjectNode().put("model", "claude/claude-x").put("reasoning_effort", "low");
                body.set("messages", messages);
                post(server, "/v1/chat/completions", body.toString());
                List<RecordedRequest> requests = upstream.requests();
                assertThat(requests).hasSize(2);
                assertThat(json(requests.get(1)).at("/messages/1/content")).isEqualTo(JSON.readTree(SIGNED_TURN));

                // Anthropic Messages: the same block, its usage in Anthropic's terms, and back in
                upstream.enqueue(sse(THINKING_THEN_TOOL));
                JsonNode m = post(
                        server,
                        "/v1/messages",
                        "{\"model\":\"claude/claude-x\",\"max_tokens\":4096,"
                                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}");
                assertThat(m.get("content")).isEqualTo(JSON.readTree(SIGNED_TURN));
                assertThat(m.get("usage"))
                        .isEqualTo(JSON.readTree("{\"input_tokens\":5,\"cache_creation_input_tokens\":3,"
                                + "\"cache_read_input_tokens\":40,\"output_tokens\":12}"));
                upstream.enqueue(sse(SHORT_ANSWER));
                ObjectNode next =
                        JSON.createObjectNode().put("model", "claude/claude-x").put("max_tokens", 4096);
                next.putObject("thinking").put("type", "enabled").put("budget_tokens", 1024);
                ArrayNode turns = next.putArray("messages");
                turns.addObject().put("role", "user").put("content", "Weather?");
                turns.addObject().put("role", "assistant").set("content", m.get("content"));
                turns.addObject()
                        .put("role", "user")
                        .putArray("content")
                        .addObject()
                        .put("type", "tool_result")
                        .put("tool_use_id", "toolu_9")
                        .put("content", "sunny");
                post(server, "/v1/messages", next.toString());
                assertThat(upstream.requests()).hasSize(4);
                assertThat(json(upstream.requests().get(3)).at("/messages/1/content"))
                        .isEqualTo(JSON.readTree(SIGNED_TURN));

                // AI SDK UI stream: the UI message useChat builds goes back with the tool's output, and
                // Anthropic gets the very request the Chat Completions client's next turn gave it
                upstream.enqueue(sse(THINKING_THEN_TOOL));
                String user = "{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"Weather?\"}]}";
                String options = "\"provider\":\"claude\",\"model\":\"claude-x\",\"reasoning\":{\"effort\":\"low\"}";
                ObjectNode assistant;
                try (RawHttp http = RawHttp.postJson(
                        server.port(),
                        "/v1/ui/chat",
                        "{\"id\":\"chat-1\",\"messages\":[" + user + "]," + options + "}")) {
                    assertThat(http.status()).isEqualTo(200);
                    List<JsonNode> chunks = new java.util.ArrayList<>();
                    io.aistream.sse.SseReader reader = http.sse();
                    for (java.util.Optional<io.aistream.sse.SseEvent> e = reader.next();
                            e.isPresent() && !e.get().data().equals("[DONE]");
                            e = reader.next()) {
                        chunks.add(JSON.readTree(e.get().data()));
                    }
                    assistant = UiChatReasoningStateTest.uiMessage(chunks);
                }
                for (JsonNode part : assistant.withArray("parts")) {
                    if (part.get("type").stringValue().startsWith("tool-")) {
                        ((ObjectNode) part).put("state", "output-available").put("output", "sunny");
                    }
                }
                upstream.enqueue(sse(SHORT_ANSWER));
                try (RawHttp http = RawHttp.postJson(
                        server.port(),
                        "/v1/ui/chat",
                        "{\"id\":\"chat-1\",\"messages\":[" + user + "," + assistant + "]," + options + "}")) {
                    assertThat(http.status()).as(http.bodyText()).isEqualTo(200);
                }
                assertThat(upstream.requests()).hasSize(6);
                assertThat(json(upstream.requests().get(5)))
                        .as("the UI endpoint's second turn equals the Chat Completions endpoint's")
                        .isEqualTo(json(upstream.requests().get(1)));
            }
        }
    }

    private static JsonNode post(AistreamServer server, String path, String body) throws Exception {
        try (RawHttp http = RawHttp.postJson(server.port(), path, body)) {
            String text = http.bodyText();
            assertThat(http.status()).as(text).isEqualTo(200);
            return JSON.readTree(text);
        }
    }

    private static JsonNode json(RecordedRequest request) {
        return JSON.readTree(new String(request.body(), StandardCharsets.UTF_8));
    }

    private static String event(String type, String data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }

    private static Script sse(String body) {
        return Script.status(200)
                .header("Content-Type", "text/event-stream")
                .framing(Script.Framing.CONTENT_LENGTH)
                .send(body);
    }
}
