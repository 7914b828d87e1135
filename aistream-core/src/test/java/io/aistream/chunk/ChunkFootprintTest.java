package io.aistream.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.ErrorCode;
import org.junit.jupiter.api.Test;

/** The footprint formula the resume buffers and the read-ahead queues share. */
class ChunkFootprintTest {

    @Test
    void isTheOverheadPlusTwoBytesPerCharOfTheTextFields() {
        assertThat(ChunkFootprint.bytes(ContentChunk.of("hello"))).isEqualTo(96 + 10);
        assertThat(ChunkFootprint.bytes(ReasoningChunk.of(""))).isEqualTo(96);
        assertThat(ChunkFootprint.bytes(ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "f", "{}"))))
                .isEqualTo(96 + 2 * (6 + 1 + 2));
        assertThat(ChunkFootprint.bytes(ErrorChunk.of(ChunkError.of(ErrorCode.UPSTREAM_ERROR, "boom"))))
                .isEqualTo(96 + 2 * ("upstream_error".length() + 4));
        assertThat(ChunkFootprint.bytes(DoneChunk.of(FinishReason.STOP).withDropped("abc", 2)))
                .isEqualTo(96 + 6);
        assertThat(ChunkFootprint.bytes(DoneChunk.of(FinishReason.STOP).withDropped(2)))
                .isEqualTo(96);
    }

    @Test
    void isLinearInTheTextSoAMergedChunkCostsWhatItsPartsAdded() {
        long first = ChunkFootprint.bytes(ContentChunk.of("abc"));
        long merged = ChunkFootprint.bytes(ContentChunk.of("abcdefg"));
        assertThat(merged).isEqualTo(first + ChunkFootprint.text(4));
    }

    @Test
    void doesNotDependOnThePositionInTheStream() {
        StreamChunk chunk = ContentChunk.of("x");
        assertThat(ChunkFootprint.bytes(chunk.withPosition("st_a_rather_long_stream_id", 12345)))
                .isEqualTo(ChunkFootprint.bytes(chunk));
    }
}
