package io.aistream.provider;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ResponseSummaryTest {
    private static DoneChunk done(Usage usage) {
        return DoneChunk.of(FinishReason.STOP).withMetadata(Optional.of(usage), Optional.of("p"), Optional.of("m"));
    }

    /** As parsed from text, so that long and int numbers compare by value. */
    private static JsonNode reparsed(JsonNode node) {
        return Jackson.mapper().readTree(node.toString());
    }

    @Test
    void withoutStateThereAreNoPartsAndAnUnbrokenUsageHasTwoFields() {
        ObjectNode summary = ResponseSummary.of(List.of(ContentChunk.of("hi"), done(Usage.of(3, 4))));

        assertThat(summary.has("parts")).isFalse();
        assertThat(reparsed(summary.path("usage")))
                .isEqualTo(Jackson.mapper().readTree("{\"inputTokens\":3,\"outputTokens\":4}"));
    }

    @Test
    void theUsageBreakdownAndTheOrderedPartsWithTheirStateAreShown() {
        List<StreamChunk> chunks = List.of(
                ReasoningChunk.of("think"),
                ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, "SIG")),
                ContentChunk.of("answer"),
                ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "f", "{}")),
                done(new Usage(110, 20, 130, 100, 0, 5)));

        ObjectNode summary = ResponseSummary.of(chunks);

        assertThat(reparsed(summary.path("usage")))
                .isEqualTo(
                        Jackson.mapper()
                                .readTree(
                                        "{\"inputTokens\":110,\"outputTokens\":20,\"cacheReadTokens\":100,\"reasoningTokens\":5}"));
        assertThat(summary.path("parts")).isEqualTo(Jackson.mapper().readTree("""
                [{"type":"reasoning","text":"think","state":{"source":"anthropic","signature":"SIG"}},
                 {"type":"text","text":"answer"},
                 {"type":"tool_call","id":"call_1","name":"f"}]"""));
    }

    @Test
    void toolArgumentsThatDoNotParseLeaveThePartsNullInsteadOfThrowing() {
        List<StreamChunk> chunks = List.of(
                ReasoningChunk.of("", ReasoningState.signature(ReasoningState.BEDROCK, "SIG")),
                ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "f", "{\"a\":")),
                DoneChunk.of(FinishReason.LENGTH));

        ObjectNode summary = ResponseSummary.of(chunks);

        assertThat(summary.path("parts").isNull()).isTrue();
        assertThat(summary.path("toolCalls").get(0).path("rawArguments").stringValue())
                .isEqualTo("{\"a\":");
    }
}
