package io.aistream.provider.ollama;

import static io.aistream.provider.DecoderTestSupport.feed;
import static io.aistream.testing.Chunks.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.sse.SseLimitExceededException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OllamaStreamDecoderTest {
    private static final DecoderContext CONTEXT = new DecoderContext("ollama", "qwen3:8b");

    private final List<StreamChunk> out = new ArrayList<>();

    private List<StreamChunk> decode(String body) {
        StreamDecoder decoder = new OllamaStreamDecoder(CONTEXT);
        feed(decoder, body, out);
        decoder.end(out::add);
        return out;
    }

    @Test
    void aLineIsEmittedAsSoonAsItsNewlineArrives() {
        StreamDecoder decoder = new OllamaStreamDecoder(CONTEXT);
        feed(decoder, "{\"message\":{\"content\":\"Hi\"},\"done\":false}", out);

        assertThat(out).isEmpty();

        feed(decoder, "\n", out);

        assertThat(out).containsExactly(ContentChunk.of("Hi"));
    }

    @Test
    void aStreamEndingBeforeDoneIsIncomplete() {
        decode("{\"message\":{\"content\":\"Hi\"},\"done\":false}\n");

        assertThat(out).hasSize(3);
        assertThat(((ErrorChunk) out.get(1)).error().code()).isEqualTo("incomplete_stream");
        assertThat(done(out).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void aFinalDoneLineWithoutNewlineIsStillRead() {
        decode("{\"message\":{\"content\":\"Hi\"},\"done\":true,\"done_reason\":\"stop\",\"eval_count\":3}");

        assertThat(out)
                .containsExactly(
                        ContentChunk.of("Hi"),
                        DoneChunk.of(FinishReason.STOP)
                                .withMetadata(
                                        Optional.of(new Usage(0, 3, 3)),
                                        Optional.of("ollama"),
                                        Optional.of("qwen3:8b")));
    }

    @Test
    void aLineCutAtTheEndOfTheBodyIsIncompleteNotMalformed() {
        decode("{\"message\":{\"content\":\"Hi\"},\"done\":false}\n{\"message\":{\"cont");

        assertThat(((ErrorChunk) out.get(1)).error().code()).isEqualTo("incomplete_stream");
    }

    @Test
    void malformedJsonIsReportedAndLaterLinesIgnored() {
        decode("not json\n{\"message\":{\"content\":\"late\"},\"done\":true}\n");

        assertThat(out).hasSize(2);
        assertThat(((ErrorChunk) out.get(0)).error().code()).isEqualTo("malformed_event");
        assertThat(done(out).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void toolCallsWithoutIdsGetSynthesizedOnesAndStopBecomesToolCalls() {
        decode("""
                {"model":"llama3.1","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"a","arguments":{"q":"x"}}},{"function":{"name":"b","arguments":{}}}]},"done":false}

                {"model":"llama3.1","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_z","function":{"name":"c","arguments":{"n":1}}}]},"done":true,"done_reason":"stop"}
                """);

        assertThat(out)
                .containsExactly(
                        ToolCallChunk.of(ToolCallDelta.start(0, "call_0", "a", "{\"q\":\"x\"}")),
                        ToolCallChunk.of(ToolCallDelta.start(1, "call_1", "b", "{}")),
                        ToolCallChunk.of(ToolCallDelta.start(2, "call_z", "c", "{\"n\":1}")),
                        DoneChunk.of(FinishReason.TOOL_CALLS)
                                .withMetadata(Optional.empty(), Optional.of("ollama"), Optional.of("llama3.1")));
    }

    @Test
    void loadAndUnloadAreOther() {
        decode("{\"model\":\"llama3.2\",\"done\":true,\"done_reason\":\"load\"}\n");

        assertThat(done(out).finishReason()).isEqualTo(FinishReason.OTHER);
    }

    @Test
    void aBusyErrorIsRetryable() {
        decode("{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}\n");

        ErrorChunk error = (ErrorChunk) out.get(0);
        assertThat(error.error().code()).isEqualTo("provider_error");
        assertThat(error.error().retryable()).isTrue();
        assertThat(error.error().provider()).contains("ollama");
        assertThat(out).hasSize(2);
    }

    @Test
    void aLineBeyondTheLimitThrows() {
        StreamDecoder decoder = new OllamaStreamDecoder(CONTEXT, 64);

        assertThatThrownBy(() -> feed(decoder, "{\"message\":{\"content\":\"" + "x".repeat(100), out))
                .isInstanceOf(SseLimitExceededException.class);
    }

    @Test
    void aLineWithinTheLimitIsAcceptedWhateverTheSplit() {
        StreamDecoder decoder = new OllamaStreamDecoder(CONTEXT, 64);
        String line = "{\"message\":{\"content\":\"" + "x".repeat(30) + "\"}}\r\n";
        for (char c : line.toCharArray()) {
            feed(decoder, String.valueOf(c), out);
        }

        assertThat(out).containsExactly(ContentChunk.of("x".repeat(30)));
    }
}
