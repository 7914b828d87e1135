package io.aistream.provider.anthropic;

import static io.aistream.provider.DecoderTestSupport.sseEvent;
import static io.aistream.testing.Chunks.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.provider.DecoderTestSupport;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.sse.SseLimitExceededException;
import io.aistream.sse.SseLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AnthropicDecoderTest {
    private static final DecoderContext CONTEXT = new DecoderContext("anthropic", "claude-requested");
    private static final String START = sseEvent("message_start", """
            {"type":"message_start","message":{"id":"msg_1","model":"claude-x","content":[],"usage":{"input_tokens":10,"output_tokens":1}}}""");
    private static final String STOP = sseEvent("message_stop", "{\"type\":\"message_stop\"}");

    private static String delta(String reason, int outputTokens) {
        return sseEvent(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + reason
                        + "\"},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
    }

    private static List<StreamChunk> decode(String... parts) {
        return DecoderTestSupport.decode(new AnthropicDecoder(CONTEXT), parts);
    }

    @Test
    void emitsEachDeltaWhenItsEventIsComplete() {
        AnthropicDecoder decoder = new AnthropicDecoder(CONTEXT);
        List<StreamChunk> out = new ArrayList<>();
        byte[] bytes = (START
                        + sseEvent(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"))
                .getBytes(StandardCharsets.UTF_8);

        decoder.feed(bytes, 0, bytes.length, out::add);

        assertThat(out).containsExactly(ContentChunk.of("Hi"));
        assertThat(decoder.isDone()).isFalse();
    }

    @Test
    void reportsTheStreamModelProviderAndMergedUsageOnDone() {
        DoneChunk done = done(decode(START, delta("end_turn", 7), STOP));

        assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done.usage()).contains(new Usage(10, 7, 17));
        assertThat(done.provider()).contains("anthropic");
        assertThat(done.model()).contains("claude-x");
    }

    @Test
    void fallsBackToTheRequestedModelWhenTheStreamNamesNone() {
        DoneChunk done = done(decode(
                sseEvent("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}"),
                delta("end_turn", 1),
                STOP));

        assertThat(done.model()).contains("claude-requested");
        assertThat(done.usage()).contains(new Usage(0, 1, 1));
    }

    @Test
    void mapsPauseTurnAndUnknownStopReasonsToOther() {
        assertThat(done(decode(START, delta("pause_turn", 2), STOP)).finishReason())
                .isEqualTo(FinishReason.OTHER);
        assertThat(done(decode(START, delta("something_new", 2), STOP)).finishReason())
                .isEqualTo(FinishReason.OTHER);
        assertThat(done(decode(START, delta("stop_sequence", 2), STOP)).finishReason())
                .isEqualTo(FinishReason.STOP);
        assertThat(done(decode(START, delta("model_context_window_exceeded", 2), STOP))
                        .finishReason())
                .isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void carriesSignaturesAndRedactedThinkingAsReasoningStateOutsideTheText() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"EnCrYpTeD\"}}"),
                sseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                sseEvent(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"),
                sseEvent(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}"),
                sseEvent(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"SIG\"}}"),
                delta("end_turn", 3),
                STOP);

        assertThat(chunks)
                .containsExactly(
                        ReasoningChunk.of("", ReasoningState.redacted(ReasoningState.ANTHROPIC, "EnCrYpTeD")),
                        ReasoningChunk.of("hmm"),
                        ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, "SIG")),
                        chunks.getLast());
    }

    @Test
    void aSignatureOnTheThinkingBlocksStartEndsTheBlockAtItsStop() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"whole\",\"signature\":\"SIG0\"}}"),
                sseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                delta("end_turn", 3),
                STOP);

        assertThat(chunks)
                .containsExactly(
                        ReasoningChunk.of("whole"),
                        ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, "SIG0")),
                        chunks.getLast());
    }

    @Test
    void aSignatureDeltaReplacesTheSignatureOfTheBlocksStart() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"OLD\"}}"),
                sseEvent(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"NEW\"}}"),
                sseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                delta("end_turn", 3),
                STOP);

        assertThat(chunks)
                .containsExactly(
                        ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, "NEW")),
                        chunks.getLast());
    }

    @Test
    void countsCachedInputInTheInputAndBreaksItOut() {
        String start = sseEvent("message_start", """
                {"type":"message_start","message":{"id":"msg_1","model":"claude-x","content":[],"usage":                {"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":1}}}""");
        String delta = sseEvent("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":                {"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":40}}""");

        DoneChunk done = (DoneChunk) decode(start, delta, STOP).getLast();

        assertThat(done.usage()).contains(new Usage(2112, 40, 2152, 2000, 100, 0));
        assertThat(done.usage().orElseThrow().uncachedInputTokens()).isEqualTo(12);
    }

    @Test
    void aMessageDeltaWithOnlyOutputKeepsTheCacheCountsOfMessageStart() {
        String start = sseEvent("message_start", """
                {"type":"message_start","message":{"id":"msg_1","model":"claude-x","content":[],"usage":                {"input_tokens":5,"cache_read_input_tokens":300,"output_tokens":1}}}""");

        DoneChunk done = (DoneChunk) decode(start, delta("end_turn", 9), STOP).getLast();

        assertThat(done.usage()).contains(new Usage(305, 9, 314, 300, 0, 0));
    }

    @Test
    void usageSoFarIsKnownFromMessageStartOnAndFollowsTheDeltas() {
        AnthropicDecoder decoder = new AnthropicDecoder(CONTEXT);
        List<StreamChunk> out = new ArrayList<>();
        assertThat(decoder.usageSoFar()).isEmpty();

        byte[] start = sseEvent("message_start", """
                        {"type":"message_start","message":{"id":"msg_1","model":"claude-x","content":[],"usage":                        {"input_tokens":7,"cache_creation_input_tokens":50,"output_tokens":1}}}""").getBytes(StandardCharsets.UTF_8);
        decoder.feed(start, 0, start.length, out::add);
        assertThat(decoder.usageSoFar()).contains(new Usage(57, 1, 58, 0, 50, 0));

        byte[] delta = delta("max_tokens", 30).getBytes(StandardCharsets.UTF_8);
        decoder.feed(delta, 0, delta.length, out::add);
        assertThat(decoder.usageSoFar()).contains(new Usage(57, 30, 87, 0, 50, 0));
        assertThat(decoder.isDone()).isFalse();
    }

    @Test
    void ignoresServerToolBlocksAndTheirInputFragments() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}"),
                sseEvent(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\":\\\"x\\\"}\"}}"),
                sseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                sseEvent(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[]}}"),
                sseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                sseEvent(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"calc\",\"input\":{}}}"),
                sseEvent(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"),
                sseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}"),
                delta("end_turn", 3),
                STOP);

        assertThat(chunks)
                .containsExactly(
                        ToolCallChunk.of(ToolCallDelta.start(0, "toolu_9", "calc", "")),
                        ToolCallChunk.of(ToolCallDelta.arguments(0, "{}")),
                        chunks.getLast());
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void usesAToolInputSentWholeOnTheStartEventWhenNoFragmentsFollow() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{\"a\":1}}}"),
                sseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                delta("tool_use", 3),
                STOP);

        assertThat(chunks).contains(ToolCallChunk.of(ToolCallDelta.arguments(0, "{\"a\":1}")));
    }

    @Test
    void reportsAnErrorEventWithItsTypeStatusAndRetryability() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "error",
                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

        ErrorChunk error = (ErrorChunk) chunks.get(chunks.size() - 2);
        assertThat(error.error().code()).isEqualTo("overloaded_error");
        assertThat(error.error().message()).isEqualTo("Overloaded");
        assertThat(error.error().retryable()).isTrue();
        assertThat(error.error().provider()).contains("anthropic");
        assertThat(error.error().status()).isEqualTo(OptionalInt.of(529));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).usage()).contains(new Usage(10, 1, 11));
    }

    @Test
    void treatsAnInvalidRequestErrorEventAsNotRetryable() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "error",
                        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}"));

        ErrorChunk error = (ErrorChunk) chunks.get(chunks.size() - 2);
        assertThat(error.error().retryable()).isFalse();
        assertThat(error.error().status()).isEqualTo(OptionalInt.of(400));
    }

    @Test
    void reportsACutStreamAsIncomplete() {
        List<StreamChunk> chunks = decode(START, delta("end_turn", 4), "event: message_stop\ndata: {\"type\":\"mess");

        assertThat(chunks).hasSize(2);
        ErrorChunk error = (ErrorChunk) chunks.getFirst();
        assertThat(error.error().code()).isEqualTo("incomplete_stream");
        assertThat(error.error().provider()).contains("anthropic");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void reportsMalformedJsonOnceAndIgnoresWhatFollows() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"),
                sseEvent(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"late\"}}"),
                STOP);

        assertThat(chunks).hasSize(2);
        ErrorChunk error = (ErrorChunk) chunks.getFirst();
        assertThat(error.error().code()).isEqualTo("malformed_event");
        assertThat(error.error().message()).contains("content_block_delta");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void skipsPingsCommentsUnknownEventsAndBlankData() {
        List<StreamChunk> chunks = decode(
                ": keep-alive\n\n",
                START,
                sseEvent("ping", "{\"type\": \"ping\"}"),
                sseEvent("brand_new_event", "{\"type\":\"brand_new_event\",\"x\":1}"),
                "event: ping\ndata:\n\n",
                delta("end_turn", 2),
                STOP);

        assertThat(chunks).hasSize(1);
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void ignoresARepeatedMessageStartButRejectsASplicedMessage() {
        assertThat(decode(START, START, delta("end_turn", 2), STOP)).hasSize(1);

        List<StreamChunk> spliced = decode(START, START.replace("msg_1", "msg_2"), delta("end_turn", 2), STOP);
        assertThat(((ErrorChunk) spliced.getFirst()).error().code()).isEqualTo("malformed_event");
        assertThat(((ErrorChunk) spliced.getFirst()).error().message()).contains("msg_2", "msg_1");
        assertThat(done(spliced).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void ignoresInputAfterDone() {
        AnthropicDecoder decoder = new AnthropicDecoder(CONTEXT);
        List<StreamChunk> chunks = DecoderTestSupport.decode(
                decoder,
                START,
                delta("end_turn", 2),
                STOP,
                sseEvent(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"late\"}}"));

        assertThat(chunks).hasSize(1);
        assertThat(decoder.isDone()).isTrue();
    }

    @Test
    void failsWithALimitErrorOnAnOversizedLine() {
        AnthropicDecoder decoder = new AnthropicDecoder(CONTEXT, new SseLimits(64, 256));
        byte[] bytes = ("data: " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.feed(bytes, 0, bytes.length, chunk -> {}))
                .isInstanceOf(SseLimitExceededException.class);
    }

    @Test
    void reportsAnEmptyStreamAsIncomplete() {
        List<StreamChunk> chunks = decode();

        assertThat(((ErrorChunk) chunks.getFirst()).error().code()).isEqualTo("incomplete_stream");
        assertThat(done(chunks).usage()).isEqualTo(Optional.empty());
    }

    @Test
    void usageSoFarIsTheSameInstanceUntilAReportChangesIt() {
        AnthropicDecoder decoder = new AnthropicDecoder(CONTEXT);
        List<StreamChunk> out = new ArrayList<>();
        byte[] start = ("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\","
                        + "\"model\":\"claude\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        decoder.feed(start, 0, start.length, out::add);
        var usage = decoder.usageSoFar();
        assertThat(usage).isPresent();
        assertThat(decoder.usageSoFar()).isSameAs(usage);
        byte[] delta = ("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},"
                        + "\"usage\":{\"output_tokens\":7}}\n\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        decoder.feed(delta, 0, delta.length, out::add);
        assertThat(decoder.usageSoFar()).isNotSameAs(usage);
        assertThat(decoder.usageSoFar().orElseThrow().outputTokens()).isEqualTo(7);
    }
}
