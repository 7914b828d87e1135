package io.aistream.provider.openai;

import static io.aistream.provider.openai.OpenAiTestRequests.body;
import static io.aistream.provider.openai.OpenAiTestRequests.config;
import static io.aistream.testing.Chunks.done;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.testing.FixtureAnswers;
import io.aistream.provider.testing.ProviderFixtures;
import io.aistream.request.AssistantPart;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.Message;
import io.aistream.testing.FixtureHarness;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Chat Completions never gets reasoning back (DeepSeek rejects {@code reasoning_content} in input),
 * and its usage carries the cached-input and reasoning breakdown.
 */
class OpenAiChatRoundTripTest {
    private static final ProviderConfig DEEPSEEK =
            config("deepseek", "openai-chat", "https://api.deepseek.com", Map.of());

    private static ChatRequest.Builder conversation() {
        return ChatRequest.builder().model("deepseek-reasoner").user("What's the weather in San Francisco?");
    }

    @Test
    void aDeepSeekTurnWithReasoningGoesBackWithoutReasoningContent() {
        CompletionResponse answer = FixtureAnswers.answer(
                "deepseek",
                "reasoning-tool-call",
                new OpenAiChatDecoder(new DecoderContext("deepseek", "deepseek-reasoner")));
        assertThat(answer.reasoning()).isNotEmpty();
        ChatRequest next = conversation()
                .message(Message.Assistant.of(answer))
                .message(Message.toolResult(answer.toolCalls().getFirst().callId(), "weather", "{\"temp\":\"18C\"}"))
                .build();

        JsonNode body = body(new OpenAiChatProtocol(OpenAiCompatible.DEEPSEEK)
                .toRequest(next, DEEPSEEK)
                .body());

        JsonNode assistant = body.path("messages").get(1);
        assertThat(assistant.path("role").asString()).isEqualTo("assistant");
        assertThat(assistant.path("tool_calls")).hasSize(1);
        assertThat(body.toString()).doesNotContain("reasoning_content", "reasoning", answer.reasoning());
    }

    @Test
    void reasoningStateOfAnyProviderNeverReachesAChatCompletionsServer() {
        JsonNode args = Jackson.mapper().readTree("{\"city\":\"Oslo\"}");
        Message.Assistant stateful = new Message.Assistant(List.of(
                new AssistantPart.Reasoning("thinking", Optional.of(ReasoningState.signature("anthropic", "sigA"))),
                new AssistantPart.Reasoning("", Optional.of(ReasoningState.openAiItem("rs_1", Optional.of("gAAA")))),
                new AssistantPart.Text("Checking.", Optional.of(ReasoningState.signature("google", "sigT"))),
                new AssistantToolCall(
                        "call_1", "weather", args, Optional.of(ReasoningState.signature("google", "sigF")))));
        ChatRequest next = conversation()
                .message(stateful)
                .message(Message.toolResult("call_1", "weather", "{}"))
                .build();

        for (OpenAiCompatible preset : List.of(OpenAiCompatible.OPENAI, OpenAiCompatible.DEEPSEEK)) {
            JsonNode assistant = body(new OpenAiChatProtocol(preset)
                            .toRequest(next, DEEPSEEK)
                            .body())
                    .path("messages")
                    .get(1);
            assertThat(assistant.path("content").asString()).as(preset.id()).isEqualTo("Checking.");
            assertThat(assistant.toString()).as(preset.id()).doesNotContain("sig", "gAAA", "rs_1", "thinking");
        }
    }

    private static List<StreamChunk> decode(String body) {
        return FixtureHarness.decode(
                ProviderFixtures.decoder(new OpenAiChatDecoder(new DecoderContext("openai", "o4-mini"))),
                body.getBytes(StandardCharsets.UTF_8),
                new int[0]);
    }

    private static String usageChunk(String usage) {
        return "data: {\"id\":\"c\",\"model\":\"o4-mini\",\"choices\":[{\"delta\":{\"content\":\"Hi\"},"
                + "\"finish_reason\":\"stop\"}]}\n\ndata: {\"id\":\"c\",\"choices\":[],\"usage\":" + usage
                + "}\n\ndata: [DONE]\n\n";
    }

    @Test
    void cachedAndReasoningTokensAreBrokenOutOfPromptAndCompletionTokens() {
        List<StreamChunk> chunks = decode(usageChunk("{\"prompt_tokens\":2048,\"completion_tokens\":214,"
                + "\"total_tokens\":2262,\"prompt_tokens_details\":{\"cached_tokens\":1792},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":192}}"));

        assertThat(done(chunks).usage()).contains(new Usage(2048, 214, 2262, 1792, 0, 192));
    }

    @Test
    void deepSeeksCacheHitTokensStandInOnlyWhenPromptTokensDetailsAreMissing() {
        assertThat(done(decode(usageChunk("{\"prompt_tokens\":339,\"completion_tokens\":83,\"total_tokens\":422,"
                                + "\"prompt_cache_hit_tokens\":320,\"prompt_cache_miss_tokens\":19}")))
                        .usage())
                .contains(new Usage(339, 83, 422, 320, 0, 0));
        assertThat(done(decode(
                                usageChunk(
                                        "{\"prompt_tokens\":339,\"completion_tokens\":83,\"total_tokens\":422,"
                                                + "\"prompt_cache_hit_tokens\":320,\"prompt_tokens_details\":{\"cached_tokens\":300}}")))
                        .usage())
                .contains(new Usage(339, 83, 422, 300, 0, 0));
    }

    @Test
    void usageSoFarIsTheLastUsageReportedBeforeTheStreamEnds() {
        OpenAiChatDecoder decoder = new OpenAiChatDecoder(new DecoderContext("openai", "o4-mini"));
        List<StreamChunk> out = new ArrayList<>();
        assertThat(decoder.usageSoFar()).isEmpty();

        byte[] body = ("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":{\"prompt_tokens\":12,"
                        + "\"completion_tokens\":1,\"total_tokens\":13,\"prompt_tokens_details\":{\"cached_tokens\":8}}}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        decoder.feed(body, 0, body.length, out::add);

        assertThat(decoder.isDone()).isFalse();
        assertThat(decoder.usageSoFar()).contains(new Usage(12, 1, 13, 8, 0, 0));
    }
}
