package io.aistream.provider.openai.responses;

import static io.aistream.provider.openai.OpenAiTestRequests.body;
import static io.aistream.provider.openai.OpenAiTestRequests.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.provider.TestRequests;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.testing.FixtureAnswers;
import io.aistream.request.AssistantPart;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;

/**
 * A Responses turn with an encrypted reasoning item and a function call, decoded, accumulated and sent
 * back statelessly: the reasoning item goes back before the call, with its id, summary and encrypted
 * content; reasoning from other providers does not.
 */
class OpenAiResponsesRoundTripTest {
    private static final OpenAiResponsesProtocol PROTOCOL = new OpenAiResponsesProtocol();
    private static final ProviderConfig OPENAI =
            config("openai", "openai-responses", "https://api.openai.com/v1", Map.of());

    private static StreamDecoder decoder() {
        return PROTOCOL.newDecoder(new DecoderContext("openai", "gpt-5"));
    }

    private static ChatRequest.Builder conversation() {
        return ChatRequest.builder()
                .model("gpt-5")
                .system("You are a weather assistant.")
                .user("What's the weather in Lisbon?")
                .tool(new ToolDefinition(
                        "get_weather",
                        Optional.of("Current weather for a city."),
                        Jackson.mapper()
                                .readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                                        + "\"required\":[\"city\"]}")))
                .reasoning(Reasoning.effort(Reasoning.Effort.MEDIUM))
                .providerOption("store", BooleanNode.FALSE);
    }

    @Test
    void aTurnWithAnEncryptedReasoningItemGoesBackStatelessly() {
        CompletionResponse answer =
                FixtureAnswers.answer("openai-responses", "reasoning-encrypted-tool-call", decoder());
        ChatRequest next = conversation()
                .message(Message.Assistant.of(answer))
                .message(Message.toolResult(
                        answer.toolCalls().getFirst().callId(),
                        "get_weather",
                        "{\"temperature\":22,\"conditions\":\"sunny\"}"))
                .build();

        JsonNode body = body(PROTOCOL.toRequest(next, OPENAI).body());

        assertThat(body).isEqualTo(TestRequests.goldenFile("openai-responses/multi-turn-reasoning.json"));
    }

    @Test
    void onlyOpenAiReasoningItemsAreSentAndForeignStateIsDropped() {
        JsonNode args = Jackson.mapper().readTree("{\"city\":\"Lisbon\"}");
        Message.Assistant mixed = new Message.Assistant(List.of(
                new AssistantPart.Reasoning(
                        "Claude's thinking", Optional.of(ReasoningState.signature("anthropic", "sigA"))),
                new AssistantPart.Reasoning(
                        "Gemini's thought", Optional.of(ReasoningState.signature("google", "sigG"))),
                new AssistantPart.Reasoning("unsigned", Optional.empty()),
                new AssistantPart.Reasoning("", Optional.of(ReasoningState.openAiItem("rs_9", Optional.empty()))),
                new AssistantPart.Text("Looking it up.", Optional.of(ReasoningState.signature("google", "sigT"))),
                new AssistantToolCall(
                        "call_9", "get_weather", args, Optional.of(ReasoningState.signature("google", "sigF")))));
        ChatRequest next = conversation()
                .message(mixed)
                .message(Message.toolResult("call_9", "get_weather", "{}"))
                .build();

        JsonNode input = body(PROTOCOL.toRequest(next, OPENAI).body()).path("input");

        assertThat(input.toString()).doesNotContain("sig", "Claude", "Gemini", "unsigned");
        assertThat(input.get(1))
                .isEqualTo(Jackson.mapper().readTree("{\"type\":\"reasoning\",\"id\":\"rs_9\",\"summary\":[]}"));
        assertThat(input.get(2))
                .isEqualTo(Jackson.mapper().readTree("{\"role\":\"assistant\",\"content\":\"Looking it up.\"}"));
        assertThat(input.get(3).path("type").asString()).isEqualTo("function_call");
        assertThat(input).hasSize(5);
    }

    @Test
    void aRequestWithoutReasoningAsksForNoEncryptedContent() {
        ChatRequest plain = ChatRequest.builder().model("gpt-4.1").user("Hi").build();

        assertThat(body(PROTOCOL.toRequest(plain, OPENAI).body()).has("include"))
                .isFalse();
    }

    @Test
    void usageBreaksOutCachedInputAndReasoningTokens() {
        CompletionResponse answer =
                FixtureAnswers.answer("openai-responses", "reasoning-encrypted-tool-call", decoder());

        assertThat(answer.usage()).contains(new Usage(2180, 342, 2522, 1920, 0, 320));
    }

    @Test
    void usageSoFarIsEmptyUntilTheTerminalEventReportsIt() {
        StreamDecoder decoder = decoder();
        List<Object> out = new ArrayList<>();
        byte[] start = ("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                        + "\"item_id\":\"msg_1\",\"delta\":\"Hi\"}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        decoder.feed(start, 0, start.length, out::add);
        assertThat(decoder.usageSoFar()).isEmpty();

        byte[] end =
                ("event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"model\":\"gpt-5\","
                                + "\"usage\":{\"input_tokens\":10,\"input_tokens_details\":{\"cached_tokens\":4},"
                                + "\"output_tokens\":7,\"output_tokens_details\":{\"reasoning_tokens\":5},\"total_tokens\":17}}}\n\n")
                        .getBytes(StandardCharsets.UTF_8);
        decoder.feed(end, 0, end.length, out::add);
        assertThat(decoder.usageSoFar()).contains(new Usage(10, 7, 17, 4, 0, 5));
    }
}
