package io.aistream.chunk;

import java.util.Objects;

/**
 * A failure reported within the stream. It is always followed by a {@link DoneChunk} (with
 * {@link FinishReason#ERROR} unless the stream recovered).
 */
public record ErrorChunk(String id, long seq, ChunkError error) implements StreamChunk {
    public ErrorChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(error, "error");
    }

    /** An error chunk not yet placed in a stream; the stream stamps it. */
    public static ErrorChunk of(ChunkError error) {
        return new ErrorChunk("", 0, error);
    }

    @Override
    public ChunkType type() {
        return ChunkType.ERROR;
    }

    @Override
    public ErrorChunk withPosition(String id, long seq) {
        return new ErrorChunk(id, seq, error);
    }
}
