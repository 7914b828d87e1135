package io.aistream.provider.cohere;

import static io.aistream.provider.DecoderTestSupport.sseEvent;
import static io.aistream.testing.Chunks.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CohereDecoderTest {
    private static final DecoderContext CONTEXT = new DecoderContext("cohere", "command-a");
    private static final String START = sseEvent(
            "message-start",
            "{\"id\":\"m1\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":\"assistant\",\"content\":[]}}}");

    private static String text(String text) {
        return sseEvent(
                "content-delta",
                "{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"" + text
                        + "\"}}}}");
    }

    private static String end(String reason) {
        return sseEvent(
                "message-end",
                "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"" + reason
                        + "\",\"usage\":{\"billed_units\":{\"input_tokens\":3,\"output_tokens\":2},\"tokens\":{\"input_tokens\":30,\"output_tokens\":4}}}}");
    }

    private static List<StreamChunk> decode(String... parts) {
        return DecoderTestSupport.decode(new CohereDecoder(CONTEXT), parts);
    }

    @Test
    void emitsEachDeltaWhenItsEventIsComplete() {
        CohereDecoder decoder = new CohereDecoder(CONTEXT);
        List<StreamChunk> out = new ArrayList<>();
        byte[] bytes = (START + text("Hi")).getBytes(StandardCharsets.UTF_8);

        decoder.feed(bytes, 0, bytes.length, out::add);

        assertThat(out).containsExactly(ContentChunk.of("Hi"));
        assertThat(decoder.isDone()).isFalse();
    }

    @Test
    void reportsTokensUsageTheRequestedModelAndProviderOnDone() {
        DoneChunk done = done(decode(START, text("x"), end("COMPLETE")));

        assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done.usage()).contains(new Usage(30, 4, 34));
        assertThat(done.provider()).contains("cohere");
        assertThat(done.model()).contains("command-a");
    }

    @Test
    void fallsBackToBilledUnitsWhenTokensAreMissing() {
        DoneChunk done = done(
                decode(
                        START,
                        sseEvent(
                                "message-end",
                                "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":{\"billed_units\":{\"input_tokens\":3,\"output_tokens\":2}}}}")));

        assertThat(done.usage()).contains(new Usage(3, 2, 5));
    }

    @ParameterizedTest
    @CsvSource({
        "COMPLETE, STOP",
        "STOP_SEQUENCE, STOP",
        "MAX_TOKENS, LENGTH",
        "TOOL_CALL, TOOL_CALLS",
        "SOMETHING_NEW, OTHER"
    })
    void mapsFinishReasons(String cohere, FinishReason expected) {
        assertThat(done(decode(START, end(cohere))).finishReason()).isEqualTo(expected);
    }

    @Test
    void reportsATimeoutAsARetryableTimeoutError() {
        List<StreamChunk> chunks = decode(START, end("TIMEOUT"));

        ErrorChunk error = (ErrorChunk) chunks.getFirst();
        assertThat(error.error().code()).isEqualTo("timeout");
        assertThat(error.error().retryable()).isTrue();
        assertThat(error.error().provider()).contains("cohere");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).usage()).contains(new Usage(30, 4, 34));
    }

    @Test
    void turnsAStopWithToolCallsIntoToolCalls() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "tool-call-start",
                        "{\"type\":\"tool-call-start\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}}}}}"),
                sseEvent(
                        "tool-call-delta",
                        "{\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"1}\"}}}}}"),
                sseEvent("tool-call-end", "{\"type\":\"tool-call-end\",\"index\":0}"),
                end("COMPLETE"));

        assertThat(chunks)
                .startsWith(
                        ToolCallChunk.of(ToolCallDelta.start(0, "c1", "f", "{\"a\":")),
                        ToolCallChunk.of(ToolCallDelta.arguments(0, "1}")));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void numbersToolCallsInOrderOfFirstAppearance() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "tool-call-start",
                        "{\"type\":\"tool-call-start\",\"index\":5,\"delta\":{\"message\":{\"tool_calls\":{\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}}}}"),
                sseEvent(
                        "tool-call-start",
                        "{\"type\":\"tool-call-start\",\"index\":2,\"delta\":{\"message\":{\"tool_calls\":{\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"\"}}}}}"),
                sseEvent(
                        "tool-call-delta",
                        "{\"type\":\"tool-call-delta\",\"index\":5,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"{}\"}}}}}"),
                end("TOOL_CALL"));

        assertThat(chunks)
                .startsWith(
                        ToolCallChunk.of(ToolCallDelta.start(0, "a", "f", "")),
                        ToolCallChunk.of(ToolCallDelta.start(1, "b", "g", "")),
                        ToolCallChunk.of(ToolCallDelta.arguments(0, "{}")));
    }

    @Test
    void readsThinkingContentAndToolPlansAsReasoning() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "tool-plan-delta",
                        "{\"type\":\"tool-plan-delta\",\"delta\":{\"message\":{\"tool_plan\":\"plan\"}}}"),
                sseEvent(
                        "content-delta",
                        "{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"thinking\":\"hmm\"}}}}"),
                end("COMPLETE"));

        assertThat(chunks).startsWith(ReasoningChunk.of("plan"), ReasoningChunk.of("hmm"));
    }

    @Test
    void skipsCitationsDebugEventsAndTheDoneSentinel() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent(
                        "citation-start",
                        "{\"type\":\"citation-start\",\"index\":0,\"delta\":{\"message\":{\"citations\":{\"start\":0,\"end\":2,\"text\":\"Hi\"}}}}"),
                sseEvent("citation-end", "{\"type\":\"citation-end\",\"index\":0}"),
                sseEvent("debug", "{\"type\":\"debug\",\"prompt\":\"...\"}"),
                end("COMPLETE"),
                "data: [DONE]\n\n");

        assertThat(chunks).hasSize(1);
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void reportsACutStreamAsIncomplete() {
        List<StreamChunk> chunks = decode(START, text("Hel"));

        assertThat(chunks).hasSize(3);
        assertThat(((ErrorChunk) chunks.get(1)).error().code()).isEqualTo("incomplete_stream");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).usage()).isEmpty();
    }

    @Test
    void reportsMalformedJsonAndIgnoresWhatFollows() {
        List<StreamChunk> chunks = decode(
                START,
                sseEvent("content-delta", "{\"type\":\"content-delta\",\"index\":0,\"delta\":{"),
                text("late"),
                end("COMPLETE"));

        assertThat(chunks).hasSize(2);
        ErrorChunk error = (ErrorChunk) chunks.getFirst();
        assertThat(error.error().code()).isEqualTo("malformed_event");
        assertThat(error.error().message()).contains("content-delta");
        assertThat(error.error().provider()).contains("cohere");
    }

    @Test
    void failsWithALimitErrorOnAnOversizedEvent() {
        CohereDecoder decoder = new CohereDecoder(CONTEXT, new SseLimits(1024, 100));
        byte[] bytes =
                ("data: " + "x".repeat(60) + "\ndata: " + "y".repeat(60) + "\n").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.feed(bytes, 0, bytes.length, chunk -> {}))
                .isInstanceOf(SseLimitExceededException.class);
    }
}
