package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.Accumulator;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.request.ChatRequest;
import io.aistream.request.Message;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import io.aistream.testing.RawHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reasoning state through {@code POST /v1/ui/chat} and back, over real sockets: an answer with
 * signed reasoning and tool calls streams as UI chunks; the UI message {@code useChat} folds from
 * them (the AI SDK's rules, transcribed below) comes back with the tool result; the provider then
 * gets an assistant turn equal to the one the native accumulator builds from the same chunks.
 * (e2e/tests/ui-reasoning-state.e2e.ts does the same with the real {@code ai} package and an
 * Anthropic upstream.)
 */
@Timeout(30)
class UiChatReasoningStateTest {
    private static final JsonMapper JSON = Jackson.mapper();

    private static final ReasoningState GS1 = ReasoningState.signature(ReasoningState.GOOGLE, "gs-1");
    private static final ReasoningState GS2 = ReasoningState.signature(ReasoningState.GOOGLE, "gs-2");

    static final Map<String, List<StreamChunk>> SCRIPTS = Map.of(
            "claude",
            List.of(
                    ReasoningChunk.of("The user wants "),
                    ReasoningChunk.of("the weather."),
                    ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, "EqQBsig==")),
                    ReasoningChunk.of("", ReasoningState.redacted(ReasoningState.ANTHROPIC, "EmwKred==")),
                    ContentChunk.of("Checking."),
                    ToolCallChunk.of(ToolCallDelta.start(0, "toolu_1", "get_weather", "{\"city\":")),
                    ToolCallChunk.of(ToolCallDelta.arguments(0, "\"Paris\"}")),
                    DoneChunk.of(FinishReason.TOOL_CALLS, Usage.of(10, 7), "recording", "claude")),
            "gemini",
            List.of(
                    ReasoningChunk.of("Thinking", GS1),
                    ContentChunk.of("Let me see."),
                    ContentChunk.of("", GS2),
                    ToolCallChunk.of(
                            ToolCallDelta.start(0, "fc_1", "get_weather", "{\"city\":\"Paris\"}"),
                            ReasoningState.signature(ReasoningState.GOOGLE, "gs-3")),
                    DoneChunk.of(FinishReason.TOOL_CALLS)),
            "openai",
            List.of(
                    ReasoningChunk.of("", ReasoningState.openAiItem("rs_1", Optional.of("gAAAA"))),
                    ReasoningChunk.of("Summary."),
                    ReasoningChunk.of("", ReasoningState.openAiItem("rs_2", Optional.empty())),
                    ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "get_weather", "{}")),
                    DoneChunk.of(FinishReason.TOOL_CALLS)));

    @Test
    void anthropicSignedAndRedactedThinkingComeBackBeforeTheToolCall() throws Exception {
        roundTrip("claude");
    }

    @Test
    void geminiThoughtSignaturesComeBackOnTheirParts() throws Exception {
        roundTrip("gemini");
    }

    @Test
    void openAiReasoningItemsComeBackWithTheirEncryptedContent() throws Exception {
        roundTrip("openai");
    }

    private static void roundTrip(String model) throws Exception {
        StatefulProvider provider = new StatefulProvider("recording", SCRIPTS);
        try (TestGateway g = TestGateway.start(b -> b.provider(provider))) {
            String user =
                    "{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"Weather in Paris?\"}]}";
            String target = "\"provider\":\"recording\",\"model\":\"" + model + "\"";
            ObjectNode assistant;
            try (RawHttp http = RawHttp.postJson(
                    g.port(),
                    "/v1/ui/chat",
                    "{\"id\":\"chat-" + model + "\",\"messages\":[" + user + "]," + target + "}")) {
                assertThat(http.status()).isEqualTo(200);
                List<JsonNode> chunks = new ArrayList<>();
                SseReader reader = http.sse();
                for (Optional<SseEvent> e = reader.next();
                        e.isPresent() && !e.get().data().equals("[DONE]");
                        e = reader.next()) {
                    JsonNode chunk = JSON.readTree(e.get().data());
                    assertThat(AiSdk5ChunkSchema.violations(chunk))
                            .as(chunk.toString())
                            .isEmpty();
                    chunks.add(chunk);
                }
                assistant = uiMessage(chunks);
            }
            provider.nextRequest(Duration.ofSeconds(5));

            // the client runs the tool and sends the conversation back (useChat's addToolResult + sendMessage)
            for (JsonNode part : assistant.withArray("parts")) {
                if (part.get("type").stringValue().startsWith("tool-")) {
                    ((ObjectNode) part).put("state", "output-available");
                    ((ObjectNode) part).putObject("output").put("temp", 21);
                }
            }
            String body =
                    "{\"id\":\"chat-" + model + "\",\"messages\":[" + user + "," + assistant + "]," + target + "}";
            try (RawHttp http = RawHttp.postJson(g.port(), "/v1/ui/chat", body)) {
                assertThat(http.status()).isEqualTo(200);
                http.bodyText();
            }
            ChatRequest second = provider.nextRequest(Duration.ofSeconds(5));

            Accumulator native_ = new Accumulator();
            SCRIPTS.get(model).forEach(native_::add);
            Message.Assistant expected = Message.Assistant.of(native_.result());
            assertThat(second.messages()).hasSize(3);
            assertThat(second.messages().get(1)).isEqualTo(expected);
            assertThat(second.messages().get(2)).isInstanceOf(Message.Tool.class);
            assertThat(expected.hasReasoningOrState()).isTrue();
        }
    }

    /**
     * The UI message {@code ai}'s {@code processUIMessageStream} builds from these chunks (the subset
     * of its rules the gateway's chunks need): a part per start, deltas appended, a chunk's
     * {@code providerMetadata} replacing the part's when present, tool parts by call id with the
     * available input's metadata as {@code callProviderMetadata}.
     */
    static ObjectNode uiMessage(List<JsonNode> chunks) {
        ObjectNode message = JSON.createObjectNode();
        message.put("role", "assistant");
        ArrayNode parts = message.putArray("parts");
        Map<String, ObjectNode> active = new HashMap<>();
        Map<String, ObjectNode> tools = new HashMap<>();
        for (JsonNode c : chunks) {
            String type = c.get("type").stringValue();
            JsonNode meta = c.get("providerMetadata");
            switch (type) {
                case "start" -> message.put("id", c.get("messageId").stringValue());
                case "start-step" -> parts.addObject().put("type", "step-start");
                case "text-start", "reasoning-start" -> {
                    ObjectNode part = parts.addObject();
                    part.put("type", type.substring(0, type.indexOf('-')));
                    part.put("text", "");
                    if (meta != null) {
                        part.set("providerMetadata", meta);
                    }
                    part.put("state", "streaming");
                    active.put(c.get("id").stringValue(), part);
                }
                case "text-delta", "reasoning-delta", "text-end", "reasoning-end" -> {
                    ObjectNode part = active.get(c.get("id").stringValue());
                    if (c.has("delta")) {
                        part.put(
                                "text",
                                part.get("text").stringValue() + c.get("delta").stringValue());
                    }
                    if (meta != null) {
                        part.set("providerMetadata", meta);
                    }
                    if (type.endsWith("-end")) {
                        part.put("state", "done");
                    }
                }
                case "tool-input-start" -> {
                    ObjectNode part = parts.addObject();
                    part.put("type", "tool-" + c.get("toolName").stringValue());
                    part.put("toolCallId", c.get("toolCallId").stringValue());
                    part.put("state", "input-streaming");
                    tools.put(c.get("toolCallId").stringValue(), part);
                }
                case "tool-input-available" -> {
                    ObjectNode part = tools.get(c.get("toolCallId").stringValue());
                    part.put("state", "input-available");
                    part.set("input", c.get("input"));
                    if (meta != null) {
                        part.set("callProviderMetadata", meta);
                    }
                }
                default -> {} // tool-input-delta, finish-step, finish: nothing the parts keep
            }
        }
        return message;
    }
}
