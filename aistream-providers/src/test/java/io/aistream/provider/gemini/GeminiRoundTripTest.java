package io.aistream.provider.gemini;

import static io.aistream.provider.TestRequests.body;
import static io.aistream.provider.TestRequests.goldenFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.ToolCall;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.testing.FixtureAnswers;
import io.aistream.request.AssistantPart;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolDefinition;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A Gemini 3 function-calling turn with thought signatures, decoded, accumulated and sent back as the
 * next request: the signatures stay on the parts they came with, in order (Gemini rejects the turn
 * otherwise), and states from other providers never reach Gemini.
 */
class GeminiRoundTripTest {
    private static final DecoderContext CONTEXT = new DecoderContext("gemini", "gemini-3-pro-preview");
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "gemini", "gemini", URI.create("https://generativelanguage.googleapis.com"), Optional.empty(), Map.of());

    private final GeminiProtocol protocol = new GeminiProtocol();

    private static ToolDefinition tool(String name, String description, String schema) {
        return new ToolDefinition(
                name, Optional.of(description), Jackson.mapper().readTree(schema));
    }

    private static ChatRequest.Builder conversation() {
        return ChatRequest.builder()
                .model("gemini-3-pro-preview")
                .system("You are a concise travel assistant.")
                .user("What's the weather and the local time in Paris?")
                .tool(tool(
                        "get_weather",
                        "Current weather for a city.",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                                + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
                                + "\"required\":[\"city\"]}"))
                .tool(tool(
                        "get_time",
                        "Current local time in an IANA time zone.",
                        "{\"type\":\"object\",\"properties\":{\"timezone\":{\"type\":\"string\"}},"
                                + "\"required\":[\"timezone\"]}"))
                .reasoning(Reasoning.effort(Reasoning.Effort.HIGH));
    }

    @Test
    void aTurnWithThoughtSignaturesGoesBackWithEverySignatureOnItsPart() {
        CompletionResponse answer =
                FixtureAnswers.answer("gemini", "thought-signatures-function-call", new GeminiStreamDecoder(CONTEXT));
        List<ToolCall> calls = answer.toolCalls();
        ChatRequest next = conversation()
                .message(Message.Assistant.of(answer))
                .message(Message.toolResult(
                        calls.get(0).callId(), "get_weather", "{\"temperature\":18,\"conditions\":\"light rain\"}"))
                .message(Message.toolResult(calls.get(1).callId(), "get_time", "{\"time\":\"14:05\"}"))
                .build();

        JsonNode body = body(protocol.toRequest(next, CONFIG));

        assertThat(body).isEqualTo(goldenFile("gemini/multi-turn-thought-signatures.json"));
    }

    @Test
    void statesOfOtherProvidersAreStrippedAndUnsignedReasoningIsNotSent() {
        JsonNode args = Jackson.mapper().readTree("{\"city\":\"Paris\"}");
        Message.Assistant foreign = new Message.Assistant(List.of(
                new AssistantPart.Reasoning(
                        "Claude's thinking", Optional.of(ReasoningState.signature("anthropic", "sigA"))),
                new AssistantPart.Reasoning("unsigned thinking", Optional.empty()),
                new AssistantPart.Reasoning("", Optional.of(ReasoningState.openAiItem("rs_1", Optional.of("gAAA")))),
                new AssistantPart.Text("Checking.", Optional.of(ReasoningState.signature("bedrock", "sigB"))),
                new AssistantToolCall(
                        "toolu_1", "get_weather", args, Optional.of(ReasoningState.signature("anthropic", "sigC")))));
        ChatRequest next = conversation()
                .message(foreign)
                .message(Message.toolResult("toolu_1", "get_weather", "{\"temperature\":18}"))
                .build();

        JsonNode model = body(protocol.toRequest(next, CONFIG)).path("contents").get(1);

        assertThat(model)
                .isEqualTo(Jackson.mapper()
                        .readTree("{\"role\":\"model\",\"parts\":[{\"text\":\"Checking.\"},"
                                + "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}}]}"));
        assertThat(model.toString()).doesNotContain("sig", "thought", "gAAA");
    }

    @Test
    void anAssistantTurnWithNothingGoogleCanUseIsLeftOut() {
        ChatRequest next = conversation()
                .message(new Message.Assistant(List.of(new AssistantPart.Reasoning(
                        "only thinking", Optional.of(ReasoningState.signature("anthropic", "sigA"))))))
                .user("Go on.")
                .build();

        JsonNode contents = body(protocol.toRequest(next, CONFIG)).path("contents");

        assertThat(contents).hasSize(2);
        assertThat(contents.get(1).path("role").asString()).isEqualTo("user");
    }

    @Test
    void usageCountsCachedInputInsideTheInputAndThoughtsInsideTheOutput() {
        CompletionResponse answer =
                FixtureAnswers.answer("gemini", "thought-signatures-function-call", new GeminiStreamDecoder(CONTEXT));

        // promptTokenCount 1450 of which 1024 cached; candidates 38 + thoughts 212; total as reported
        assertThat(answer.usage()).contains(new Usage(1450, 250, 1700, 1024, 0, 212));
    }

    @Test
    void usageSoFarIsTheLastSnapshotSeenBeforeTheStreamEnds() {
        GeminiStreamDecoder decoder = new GeminiStreamDecoder(CONTEXT);
        List<Object> out = new ArrayList<>();
        assertThat(decoder.usageSoFar()).isEmpty();

        byte[] first = ("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hm\",\"thought\":true}]}}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":40,\"cachedContentTokenCount\":32,"
                        + "\"totalTokenCount\":52,\"thoughtsTokenCount\":12}}\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        decoder.feed(first, 0, first.length, out::add);
        assertThat(decoder.usageSoFar()).contains(new Usage(40, 12, 52, 32, 0, 12));

        byte[] second = ("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Yes\"}]}}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":40,\"cachedContentTokenCount\":32,"
                        + "\"candidatesTokenCount\":3,\"totalTokenCount\":55,\"thoughtsTokenCount\":12}}\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        decoder.feed(second, 0, second.length, out::add);
        assertThat(decoder.usageSoFar()).contains(new Usage(40, 15, 55, 32, 0, 12));
        assertThat(decoder.isDone()).isFalse();
    }
}
