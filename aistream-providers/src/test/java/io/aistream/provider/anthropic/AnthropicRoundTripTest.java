package io.aistream.provider.anthropic;

import static io.aistream.provider.TestRequests.body;
import static io.aistream.provider.TestRequests.goldenFile;
import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.json.Jackson;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.testing.ProviderFixtures;
import io.aistream.request.AssistantPart;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolDefinition;
import io.aistream.testing.FixtureHarness;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conversation survives the next turn: a streamed answer with signed thinking, redacted
 * thinking, text and a tool call, accumulated and sent back with the tool's result, is the request
 * Anthropic requires (the golden file), and states from other providers never reach it.
 */
class AnthropicRoundTripTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final AnthropicProtocol PROTOCOL = new AnthropicProtocol();
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "anthropic", "anthropic", URI.create("https://api.anthropic.com/"), Optional.of("sk-ant-secret"), Map.of());
    private static final ToolDefinition GET_WEATHER =
            new ToolDefinition("get_weather", Optional.of("Current weather for a city"), JSON.readTree("""
            {"type":"object","properties":{"city":{"type":"string"},
             "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}"""));

    /** The fixture's stream, decoded whole and accumulated. */
    private static CompletionResponse streamedAnswer() {
        FixtureHarness.Fixture fixture = HARNESS.fixtures(
                        "anthropic", name -> name.equals("thinking-tool-use-signature.sse"))
                .getFirst();
        List<StreamChunk> chunks = FixtureHarness.decode(
                ProviderFixtures.decoder(PROTOCOL.newDecoder(new DecoderContext("anthropic", "claude-sonnet-4-5"))),
                fixture.body(),
                new int[0]);
        return CompletionResponse.accumulate(chunks);
    }

    /** [user, the assistant turn, the tool's result], the same tool, thinking enabled. */
    private static ChatRequest nextTurn(Message.Assistant assistant, String toolCallId) {
        return ChatRequest.builder()
                .model("claude-sonnet-4-5")
                .message(Message.user("What's the weather in Paris?"))
                .message(assistant)
                .message(Message.toolResult(toolCallId, "get_weather", "{\"temperature\":18,\"sky\":\"cloudy\"}"))
                .tool(GET_WEATHER)
                .reasoning(Reasoning.budget(2048))
                .build();
    }

    private static void assertGolden(JsonNode actual, String golden) {
        assertThat(actual)
                .as("request body (actual):%n%s", actual.toPrettyString())
                .isEqualTo(goldenFile(golden));
    }

    @Test
    void theNextTurnSendsThinkingRedactedThinkingTextAndToolUseBackInOrder() {
        CompletionResponse answer = streamedAnswer();
        Message.Assistant assistant = Message.Assistant.of(answer);

        ChatRequest next = nextTurn(assistant, answer.toolCalls().getFirst().callId());

        assertGolden(body(PROTOCOL.toRequest(next, CONFIG)), "anthropic/multi-turn-thinking-tool-result.json");
    }

    @Test
    void bedrockSignaturesGoToAnthropicButOtherProvidersStatesAndUnsignedReasoningAreDropped() {
        JsonNode args = JSON.readTree("{\"city\":\"Paris\"}");
        ReasoningState google = ReasoningState.signature(ReasoningState.GOOGLE, "CiQBgoogle");
        Message.Assistant assistant = new Message.Assistant(List.of(
                new AssistantPart.Reasoning("gemini thought", Optional.of(google)),
                new AssistantPart.Reasoning(
                        "responses summary", Optional.of(ReasoningState.openAiItem("rs_1", Optional.of("gAAAenc")))),
                new AssistantPart.Reasoning("no state at all", Optional.empty()),
                new AssistantPart.Reasoning(
                        "claude on bedrock",
                        Optional.of(ReasoningState.signature(ReasoningState.BEDROCK, "EqBedrock"))),
                new AssistantPart.Text("", Optional.empty()),
                new AssistantPart.Text("Checking.", Optional.of(google)),
                new AssistantToolCall("toolu_1", "get_weather", args, Optional.of(google))));

        JsonNode content = body(PROTOCOL.toRequest(nextTurn(assistant, "toolu_1"), CONFIG))
                .path("messages")
                .get(1)
                .path("content");

        assertThat(content).as("assistant content: %s", content).isEqualTo(JSON.readTree("""
                        [{"type":"thinking","thinking":"claude on bedrock","signature":"EqBedrock"},
                         {"type":"text","text":"Checking."},
                         {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]"""));
    }

    @Test
    void anAssistantTurnOfForeignReasoningOnlyIsLeftOut() {
        Message.Assistant assistant = new Message.Assistant(List.of(new AssistantPart.Reasoning(
                "thought", Optional.of(ReasoningState.signature(ReasoningState.GOOGLE, "CiQB")))));
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-4-5")
                .message(Message.user("Hi"))
                .message(assistant)
                .message(Message.user("Still there?"))
                .build();

        JsonNode messages = body(PROTOCOL.toRequest(request, CONFIG)).path("messages");

        assertThat(messages.size()).as("messages: %s", messages).isEqualTo(1);
        assertThat(messages.get(0).path("content").size()).isEqualTo(2);
    }
}
