package io.aistream.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@link Accumulator} keeps reasoning blocks, text runs and tool calls in order with their state. */
class AccumulatorPartsTest {

    private static final ReasoningState SIG_1 = ReasoningState.signature(ReasoningState.ANTHROPIC, "sig-1");
    private static final ReasoningState SIG_2 = ReasoningState.signature(ReasoningState.ANTHROPIC, "sig-2");
    private static final ReasoningState REDACTED = ReasoningState.redacted(ReasoningState.ANTHROPIC, "opaque");

    @Test
    void anthropicInterleavedThinkingKeepsEachBlockWithItsSignature() {
        CompletionResponse r = CompletionResponse.accumulate(List.of(
                ReasoningChunk.of("Let me "),
                ReasoningChunk.of("check."),
                ReasoningChunk.of("", SIG_1),
                ReasoningChunk.of("", REDACTED),
                ContentChunk.of("Checking "),
                ContentChunk.of("the weather."),
                ToolCallChunk.of(ToolCallDelta.start(0, "toolu_1", "weather", "{\"city\":")),
                ToolCallChunk.of(ToolCallDelta.arguments(0, "\"Paris\"}")),
                ReasoningChunk.of("Now the second."),
                ReasoningChunk.of("", SIG_2),
                DoneChunk.of(FinishReason.TOOL_CALLS)));

        assertThat(r.parts())
                .containsExactly(
                        new AnswerPart.Reasoning("Let me check.", Optional.of(SIG_1)),
                        new AnswerPart.Reasoning("", Optional.of(REDACTED)),
                        new AnswerPart.Text("Checking the weather.", Optional.empty()),
                        r.toolCalls().getFirst(),
                        new AnswerPart.Reasoning("Now the second.", Optional.of(SIG_2)));
        assertThat(r.reasoning()).isEqualTo("Let me check.Now the second.");
        assertThat(r.content()).isEqualTo("Checking the weather.");
    }

    @Test
    void geminiSignaturesStayOnTheirTextAndFunctionCall() {
        ReasoningState onCall = ReasoningState.signature(ReasoningState.GOOGLE, "g-call");
        ReasoningState onText = ReasoningState.signature(ReasoningState.GOOGLE, "g-text");
        CompletionResponse r = CompletionResponse.accumulate(List.of(
                ReasoningChunk.of("thinking"),
                ToolCallChunk.of(ToolCallDelta.start(0, "c0", "a", "{}"), onCall),
                ToolCallChunk.of(ToolCallDelta.start(1, "c1", "b", "{}")),
                ContentChunk.of("Done"),
                ContentChunk.of("", onText),
                DoneChunk.of(FinishReason.STOP)));

        assertThat(r.parts()).hasSize(4);
        assertThat(r.parts().get(0)).isEqualTo(new AnswerPart.Reasoning("thinking", Optional.empty()));
        assertThat(((ToolCall) r.parts().get(1)).state()).contains(onCall);
        assertThat(((ToolCall) r.parts().get(2)).state()).isEmpty();
        assertThat(r.parts().get(3)).isEqualTo(new AnswerPart.Text("Done", Optional.of(onText)));
    }

    @Test
    void aSecondStateOnTextStartsANewRun() {
        ReasoningState a = ReasoningState.signature(ReasoningState.GOOGLE, "a");
        ReasoningState b = ReasoningState.signature(ReasoningState.GOOGLE, "b");
        CompletionResponse r = CompletionResponse.accumulate(
                List.of(ContentChunk.of("x", a), ContentChunk.of("y"), ContentChunk.of("z", b)));
        assertThat(r.parts())
                .containsExactly(new AnswerPart.Text("xy", Optional.of(a)), new AnswerPart.Text("z", Optional.of(b)));
    }

    @Test
    void responsesItemsEndTheirBlockEvenWithoutSummaryText() {
        ReasoningState first = ReasoningState.openAiItem("rs_1", Optional.of("enc-1"));
        ReasoningState second = ReasoningState.openAiItem("rs_2", Optional.empty());
        CompletionResponse r = CompletionResponse.accumulate(List.of(
                ReasoningChunk.of("**Plan**"),
                ReasoningChunk.of("", first),
                ReasoningChunk.of("", second),
                ContentChunk.of("Hi")));
        assertThat(r.parts())
                .containsExactly(
                        new AnswerPart.Reasoning("**Plan**", Optional.of(first)),
                        new AnswerPart.Reasoning("", Optional.of(second)),
                        new AnswerPart.Text("Hi", Optional.empty()));
    }

    @Test
    void emptyDeltasWithoutStateMakeNoParts() {
        CompletionResponse r = CompletionResponse.accumulate(
                List.of(ContentChunk.of(""), ReasoningChunk.of(""), DoneChunk.of(FinishReason.STOP)));
        assertThat(r.parts()).isEmpty();
    }

    @Test
    void droppedDeltasLeaveTheFullTextWhereTheFirstRunWas() {
        DoneChunk done = DoneChunk.of(FinishReason.STOP).withDropped("abcdef", 2);
        CompletionResponse r = CompletionResponse.accumulate(List.of(
                ReasoningChunk.of("r", SIG_1),
                ContentChunk.of("ab"),
                ToolCallChunk.of(ToolCallDelta.start(0, "c", "t", "{}")),
                ContentChunk.of("f"),
                done));
        assertThat(r.parts()).hasSize(3);
        assertThat(r.parts().get(1)).isEqualTo(new AnswerPart.Text("abcdef", Optional.empty()));
        assertThat(r.parts().get(2)).isInstanceOf(ToolCall.class);
    }
}
