package io.aistream.server.aisdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class UiStreamEncoderTest {

    private static List<String> encode(UiStreamOptions options, StreamChunk... chunks) {
        UiStreamEncoder e = new UiStreamEncoder("st_1", "m1", "p", "mod", options);
        List<String> out = new ArrayList<>();
        e.start().forEach(c -> out.add(c.toString()));
        for (StreamChunk c : chunks) {
            for (ObjectNode n : e.next(c)) {
                out.add(n.toString());
            }
        }
        return out;
    }

    private static List<String> encode(StreamChunk... chunks) {
        return encode(UiStreamOptions.DEFAULT, chunks);
    }

    @Test
    void partsAlternateAndEmptyDeltasAreSkipped() {
        List<String> out = encode(
                ContentChunk.of(""),
                ReasoningChunk.of("r1"),
                ContentChunk.of("a"),
                ContentChunk.of(""),
                ContentChunk.of("b"),
                ReasoningChunk.of("r2"),
                DoneChunk.of(FinishReason.LENGTH));
        assertThat(out)
                .containsExactly(
                        "{\"type\":\"start\",\"messageId\":\"m1\",\"messageMetadata\":{\"streamId\":\"st_1\"}}",
                        "{\"type\":\"start-step\"}",
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\"r1\"}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"text-start\",\"id\":\"text-1\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"a\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"b\"}",
                        "{\"type\":\"text-end\",\"id\":\"text-1\"}",
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-2\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-2\",\"delta\":\"r2\"}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-2\"}",
                        "{\"type\":\"finish-step\"}",
                        "{\"type\":\"finish\",\"messageMetadata\":{\"streamId\":\"st_1\",\"finishReason\":\"length\",\"provider\":\"p\",\"model\":\"mod\"}}");
    }

    @Test
    void parallelToolCallsCompleteAtTheEndAndBadArgumentsBecomeAToolError() {
        List<String> out = encode(
                ToolCallChunk.of(ToolCallDelta.start(0, "c0", "f", "{\"a\":")),
                ToolCallChunk.of(ToolCallDelta.start(1, "", "", "")),
                ToolCallChunk.of(ToolCallDelta.arguments(0, "1}")),
                ToolCallChunk.of(ToolCallDelta.arguments(1, "{oops")),
                DoneChunk.of(FinishReason.TOOL_CALLS));
        assertThat(out.subList(2, out.size()))
                .containsExactly(
                        "{\"type\":\"tool-input-start\",\"toolCallId\":\"c0\",\"toolName\":\"f\"}",
                        "{\"type\":\"tool-input-delta\",\"toolCallId\":\"c0\",\"inputTextDelta\":\"{\\\"a\\\":\"}",
                        "{\"type\":\"tool-input-start\",\"toolCallId\":\"call-st_1-1\",\"toolName\":\"unknown\"}",
                        "{\"type\":\"tool-input-delta\",\"toolCallId\":\"c0\",\"inputTextDelta\":\"1}\"}",
                        "{\"type\":\"tool-input-delta\",\"toolCallId\":\"call-st_1-1\",\"inputTextDelta\":\"{oops\"}",
                        "{\"type\":\"tool-input-available\",\"toolCallId\":\"c0\",\"toolName\":\"f\",\"input\":{\"a\":1}}",
                        "{\"type\":\"tool-input-available\",\"toolCallId\":\"call-st_1-1\",\"toolName\":\"unknown\",\"input\":\"{oops\"}",
                        "{\"type\":\"tool-output-error\",\"toolCallId\":\"call-st_1-1\",\"errorText\":\"the model sent tool arguments that are not valid JSON\"}",
                        "{\"type\":\"finish-step\"}",
                        "{\"type\":\"finish\",\"messageMetadata\":{\"streamId\":\"st_1\",\"finishReason\":\"tool_calls\",\"provider\":\"p\",\"model\":\"mod\"}}");
    }

    @Test
    void aToolCallCompletesWhenTextFollowsIt() {
        List<String> out = encode(
                ToolCallChunk.of(ToolCallDelta.start(0, "c", "f", "")),
                ContentChunk.of("x"),
                DoneChunk.of(FinishReason.STOP));
        assertThat(out.subList(2, 6))
                .containsExactly(
                        "{\"type\":\"tool-input-start\",\"toolCallId\":\"c\",\"toolName\":\"f\"}",
                        "{\"type\":\"tool-input-available\",\"toolCallId\":\"c\",\"toolName\":\"f\",\"input\":{}}",
                        "{\"type\":\"text-start\",\"id\":\"text-0\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"x\"}");
    }

    @Test
    void abortEndsOpenTextButNotIncompleteToolsAndNothingFollows() {
        UiStreamEncoder e = new UiStreamEncoder("st_1", "m1", "p", "", UiStreamOptions.DEFAULT);
        e.start();
        e.next(ToolCallChunk.of(ToolCallDelta.start(0, "c", "f", "{")));
        e.next(ContentChunk.of("x"));
        assertThat(e.next(DoneChunk.of(FinishReason.ABORTED)))
                .extracting(ObjectNode::toString)
                .containsExactly("{\"type\":\"text-end\",\"id\":\"text-0\"}", "{\"type\":\"abort\"}");
        assertThat(e.next(ContentChunk.of("late"))).isEmpty();
    }

    @Test
    void anErrorIsReportedAndAnErroredStreamLeavesToolsIncomplete() {
        List<String> out = encode(
                ToolCallChunk.of(ToolCallDelta.start(0, "c", "f", "{")),
                ErrorChunk.of(ChunkError.of(ErrorCode.UPSTREAM_ERROR, "boom")),
                DoneChunk.of(FinishReason.ERROR));
        assertThat(out.subList(3, out.size()))
                .containsExactly(
                        "{\"type\":\"tool-input-delta\",\"toolCallId\":\"c\",\"inputTextDelta\":\"{\"}",
                        "{\"type\":\"error\",\"errorText\":\"boom (upstream_error)\"}",
                        "{\"type\":\"finish-step\"}",
                        "{\"type\":\"finish\",\"messageMetadata\":{\"streamId\":\"st_1\",\"finishReason\":\"error\",\"provider\":\"p\",\"model\":\"mod\"}}");
    }

    @Test
    void optionsAddTheRicherFields() {
        List<String> out = encode(
                new UiStreamOptions(true, true),
                ContentChunk.of("x"),
                DoneChunk.of(FinishReason.CONTENT_FILTER).withRefusal("no"));
        assertThat(out.subList(4, out.size()))
                .containsExactly(
                        "{\"type\":\"text-end\",\"id\":\"text-0\",\"providerMetadata\":{\"aistream\":{\"streamId\":\"st_1\",\"provider\":\"p\",\"model\":\"mod\"}}}",
                        "{\"type\":\"finish-step\"}",
                        "{\"type\":\"finish\",\"finishReason\":\"content-filter\",\"messageMetadata\":{\"streamId\":\"st_1\","
                                + "\"finishReason\":\"content_filter\",\"provider\":\"p\",\"model\":\"mod\",\"refusal\":\"no\"}}");
        assertThat(UiStreamEncoder.uiFinishReason(FinishReason.TOOL_CALLS)).isEqualTo("tool-calls");
    }
}
