package io.aistream.provider.openai;

import static io.aistream.provider.testing.ProviderFixtures.decoder;
import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.firstError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.provider.ResponseSummary;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.sse.SseLimitExceededException;
import io.aistream.sse.SseLimits;
import io.aistream.testing.FixtureHarness;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream shapes the fixtures do not cover. */
class OpenAiChatDecoderTest {
    private static final DecoderContext CONTEXT = new DecoderContext("openai", "gpt-4o");

    private static List<StreamChunk> decode(String body) {
        return FixtureHarness.decode(
                decoder(new OpenAiChatDecoder(CONTEXT)), body.getBytes(StandardCharsets.UTF_8), new int[0]);
    }

    private static String chunk(String choiceJson) {
        return "data: {\"id\":\"c\",\"model\":\"gpt-4o-x\",\"choices\":[" + choiceJson + "]}\n\n";
    }

    @Test
    void malformedJsonEndsTheStreamWithMalformedEventNotAnException() {
        List<StreamChunk> chunks = decode(chunk("{\"delta\":{\"content\":\"Hi\"}}")
                + "data: {\"choices\":[{\"delta\"\n\n" + chunk("{\"delta\":{\"content\":\"ignored\"}}"));
        assertThat(chunks).hasSize(3);
        assertThat(firstError(chunks).error().code()).isEqualTo("malformed_event");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(decode("data: 42\n\n").get(0))
                .isInstanceOfSatisfying(
                        ErrorChunk.class, e -> assertThat(e.error().code()).isEqualTo("malformed_event"));
    }

    @Test
    void aFinishReasonWithoutDoneSentinelStillEndsNormally() {
        List<StreamChunk> chunks = decode(chunk("{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}")
                + chunk("{\"delta\":{},\"finish_reason\":\"stop\"}"));
        assertThat(chunks).noneMatch(ErrorChunk.class::isInstance);
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done(chunks).model()).contains("gpt-4o-x");
        assertThat(done(chunks).provider()).contains("openai");
    }

    @Test
    void doneSentinelWithoutFinishReasonIsAStopAndLaterInputIsIgnored() {
        OpenAiChatDecoder decoder = new OpenAiChatDecoder(CONTEXT);
        List<StreamChunk> chunks = new ArrayList<>();
        byte[] body = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: [DONE]\n\n"
                .getBytes(StandardCharsets.UTF_8);
        decoder.feed(body, 0, body.length, chunks::add);
        assertThat(decoder.isDone()).isTrue();
        decoder.feed(body, 0, body.length, chunks::add);
        decoder.end(chunks::add);
        assertThat(chunks).hasSize(2);
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done(chunks).model()).contains("gpt-4o");
        assertThat(done(chunks).usage()).isEmpty();
    }

    @Test
    void interleavedToolCallsAreKeyedByIndexInOrderOfFirstAppearance() {
        List<StreamChunk> chunks = decode(chunk(
                        "{\"delta\":{\"tool_calls\":[{\"index\":3,\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"fb\",\"arguments\":\"\"}}]}}")
                + chunk(
                        "{\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"a\",\"function\":{\"name\":\"fa\",\"arguments\":\"{\\\"x\\\"\"}}]}}")
                + chunk(
                        "{\"delta\":{\"tool_calls\":[{\"index\":3,\"function\":{\"arguments\":\"{}\"}},{\"index\":1,\"function\":{\"name\":\"\",\"arguments\":\":1}\"}}]}}")
                + chunk(
                        "{\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\"}}]},\"finish_reason\":\"tool_calls\"}")
                + "data: [DONE]\n\n");
        var normalized = ResponseSummary.of(chunks);
        assertThat(normalized.path("toolCalls").toString())
                .isEqualTo(
                        "[{\"id\":\"b\",\"name\":\"fb\",\"arguments\":{}},{\"id\":\"a\",\"name\":\"fa\",\"arguments\":{\"x\":1}}]");
        assertThat(chunks.stream().filter(ToolCallChunk.class::isInstance)).hasSize(4);
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void theDeprecatedFunctionCallDeltaBecomesAToolCall() {
        List<StreamChunk> chunks =
                decode(chunk("{\"delta\":{\"function_call\":{\"name\":\"lookup\",\"arguments\":\"\"}}}")
                        + chunk("{\"delta\":{\"function_call\":{\"arguments\":\"{\\\"q\\\":1}\"}}}")
                        + chunk("{\"delta\":{},\"finish_reason\":\"function_call\"}") + "data: [DONE]\n\n");
        var normalized = ResponseSummary.of(chunks);
        assertThat(normalized.path("toolCalls").get(0).path("name").asString()).isEqualTo("lookup");
        assertThat(normalized.path("toolCalls").get(0).path("arguments").toString())
                .isEqualTo("{\"q\":1}");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void argumentsSentAsAnObjectAreSerializedCompactly() {
        List<StreamChunk> chunks = decode(chunk(
                        "{\"delta\":{\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":{\"a\": [1, 2]}}}]},\"finish_reason\":\"tool_calls\"}")
                + "data: [DONE]\n\n");
        assertThat(((ToolCallChunk) chunks.get(0)).toolCall().argumentsDelta()).isEqualTo("{\"a\":[1,2]}");
    }

    @Test
    void vllmFlatErrorObjectIsAnErrorWithItsType() {
        List<StreamChunk> chunks = decode(
                chunk("{\"delta\":{\"content\":\"x\"}}")
                        + "data: {\"object\":\"error\",\"message\":\"engine dead\",\"type\":\"InternalServerError\",\"code\":500}\n\n");
        ErrorChunk e = firstError(chunks);
        assertThat(e.error().code()).isEqualTo("InternalServerError");
        assertThat(e.error().message()).isEqualTo("engine dead");
        assertThat(e.error().status()).hasValue(500);
        assertThat(e.error().retryable()).isTrue();
        assertThat(e.error().provider()).contains("openai");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void errorObjectWithoutTypeUsesItsCodeElseProviderError() {
        assertThat(firstError(
                                decode(
                                        "data: {\"error\":{\"message\":\"m\",\"type\":null,\"code\":\"context_length_exceeded\"}}\n\n"))
                        .error()
                        .code())
                .isEqualTo("context_length_exceeded");
        ErrorChunk bare = firstError(decode("data: {\"error\":{\"message\":\"m\"}}\n\n"));
        assertThat(bare.error().code()).isEqualTo("provider_error");
        assertThat(bare.error().retryable()).isFalse();
    }

    @Test
    void finishReasonErrorWithoutAnErrorObjectStillReportsAnError() {
        List<StreamChunk> chunks =
                decode(chunk("{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"error\"}") + "data: [DONE]\n\n");
        assertThat(firstError(chunks).error().code()).isEqualTo("provider_error");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void groqUsageUnderXGroqAndRunningUsageTotalsAreMergedLastWins() {
        List<StreamChunk> chunks = decode(chunk("{\"delta\":{\"content\":\"x\"}}")
                        .replace("]}", "],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}")
                + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"x_groq\":{\"id\":\"r\",\"usage\":{\"completion_tokens\":9,\"total_tokens\":14}}}\n\n"
                + "data: [DONE]\n\n");
        assertThat(done(chunks).usage()).hasValueSatisfying(u -> {
            assertThat(u.inputTokens()).isEqualTo(5);
            assertThat(u.outputTokens()).isEqualTo(9);
            assertThat(u.totalTokens()).isEqualTo(14);
        });
    }

    @Test
    void unknownFinishReasonsMapToOther() {
        assertThat(OpenAiChatDecoder.mapFinish("insufficient_system_resource")).isEqualTo(FinishReason.OTHER);
        assertThat(OpenAiChatDecoder.mapFinish("model_length")).isEqualTo(FinishReason.LENGTH);
        assertThat(OpenAiChatDecoder.mapFinish("content_filter")).isEqualTo(FinishReason.CONTENT_FILTER);
    }

    @Test
    void reasoningContentAndReasoningInOneDeltaCountOnce() {
        List<StreamChunk> chunks =
                decode(chunk("{\"delta\":{\"reasoning_content\":\"think\",\"reasoning\":\"think\",\"content\":\"\"}}")
                        + "data: [DONE]\n\n");
        assertThat(chunks.stream().filter(ReasoningChunk.class::isInstance)).hasSize(1);
        assertThat(chunks.stream().filter(ContentChunk.class::isInstance)).isEmpty();
    }

    @Test
    void anOverlongLineFailsWithTheSseLimitException() {
        OpenAiChatDecoder decoder = new OpenAiChatDecoder(CONTEXT, new SseLimits(64, 256));
        byte[] body =
                chunk("{\"delta\":{\"content\":\"" + "x".repeat(100) + "\"}}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> decoder.feed(body, 0, body.length, c -> {}))
                .isInstanceOf(SseLimitExceededException.class);
    }
}
