package io.aistream.provider.bedrock;

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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conversation survives the next turn on Bedrock: a ConverseStream answer with signed
 * reasoning, redacted reasoning, text and a tool call, accumulated and sent back with the tool's
 * result, is the Converse request the golden file shows; states of other providers are dropped.
 */
class BedrockRoundTripTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final String MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final BedrockProtocol PROTOCOL =
            new BedrockProtocol(Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC));
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "bedrock",
            "bedrock",
            URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"),
            Optional.empty(),
            Map.of("region", "us-east-1", "accessKeyId", "AKIDEXAMPLE", "secretAccessKey", "secretEXAMPLEKEY"));
    private static final ToolDefinition GET_WEATHER =
            new ToolDefinition("get_weather", Optional.of("Current weather for a city"), JSON.readTree("""
            {"type":"object","properties":{"city":{"type":"string"},
             "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}"""));

    /** The fixture's stream, decoded whole and accumulated. */
    private static CompletionResponse streamedAnswer() {
        FixtureHarness.Fixture fixture = HARNESS.fixtures(
                        "bedrock", name -> name.equals("reasoning-signature-tool-use.hex.txt"))
                .getFirst();
        List<StreamChunk> chunks = FixtureHarness.decode(
                ProviderFixtures.decoder(PROTOCOL.newDecoder(new DecoderContext("bedrock", MODEL))),
                fixture.body(),
                new int[0]);
        return CompletionResponse.accumulate(chunks);
    }

    /** [user, the assistant turn, the tool's result], the same tool, reasoning enabled. */
    private static ChatRequest nextTurn(Message.Assistant assistant, String toolCallId) {
        return ChatRequest.builder()
                .model(MODEL)
                .message(Message.user("What's the weather in Paris?"))
                .message(assistant)
                .message(Message.toolResult(toolCallId, "get_weather", "{\"temperature\":18,\"sky\":\"cloudy\"}"))
                .tool(GET_WEATHER)
                .reasoning(Reasoning.budget(2048))
                .build();
    }

    @Test
    void theNextTurnSendsReasoningRedactedReasoningTextAndToolUseBackInOrder() {
        CompletionResponse answer = streamedAnswer();
        Message.Assistant assistant = Message.Assistant.of(answer);

        JsonNode actual = body(PROTOCOL.toRequest(
                nextTurn(assistant, answer.toolCalls().getFirst().callId()), CONFIG));

        assertThat(actual)
                .as("request body (actual):%n%s", actual.toPrettyString())
                .isEqualTo(goldenFile("bedrock/multi-turn-reasoning-tool-result.json"));
    }

    @Test
    void anthropicSignaturesGoToBedrockButOtherProvidersStatesAndUnsignedReasoningAreDropped() {
        JsonNode args = JSON.readTree("{\"city\":\"Paris\"}");
        ReasoningState google = ReasoningState.signature(ReasoningState.GOOGLE, "CiQBgoogle");
        Message.Assistant assistant = new Message.Assistant(List.of(
                new AssistantPart.Reasoning("gemini thought", Optional.of(google)),
                new AssistantPart.Reasoning(
                        "responses summary", Optional.of(ReasoningState.openAiItem("rs_1", Optional.of("gAAAenc")))),
                new AssistantPart.Reasoning("no state at all", Optional.empty()),
                new AssistantPart.Reasoning(
                        "claude direct",
                        Optional.of(ReasoningState.signature(ReasoningState.ANTHROPIC, "EqAnthropic"))),
                new AssistantPart.Reasoning(
                        "", Optional.of(ReasoningState.redacted(ReasoningState.ANTHROPIC, "RedactedB64"))),
                new AssistantPart.Text("Checking.", Optional.of(google)),
                new AssistantToolCall("tooluse_1", "get_weather", args, Optional.of(google))));

        JsonNode content = body(PROTOCOL.toRequest(nextTurn(assistant, "tooluse_1"), CONFIG))
                .path("messages")
                .get(1)
                .path("content");

        assertThat(content).as("assistant content: %s", content).isEqualTo(JSON.readTree("""
                        [{"reasoningContent":{"reasoningText":{"text":"claude direct","signature":"EqAnthropic"}}},
                         {"reasoningContent":{"redactedContent":"RedactedB64"}},
                         {"text":"Checking."},
                         {"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]"""));
    }

    @Test
    void anAssistantTurnOfForeignReasoningOnlyKeepsItsEmptyTextBlock() {
        Message.Assistant assistant = new Message.Assistant(List.of(new AssistantPart.Reasoning(
                "thought", Optional.of(ReasoningState.signature(ReasoningState.GOOGLE, "CiQB")))));
        ChatRequest request = ChatRequest.builder()
                .model(MODEL)
                .message(Message.user("Hi"))
                .message(assistant)
                .message(Message.user("Still there?"))
                .build();

        JsonNode messages = body(PROTOCOL.toRequest(request, CONFIG)).path("messages");

        assertThat(messages.get(1)).isEqualTo(JSON.readTree("{\"role\":\"assistant\",\"content\":[{\"text\":\"\"}]}"));
    }
}
