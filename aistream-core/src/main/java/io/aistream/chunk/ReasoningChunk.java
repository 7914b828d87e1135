package io.aistream.chunk;

import java.util.Objects;

/** A piece of the model's reasoning ("thinking") text, where the provider exposes it. */
public record ReasoningChunk(String id, long seq, String delta) implements StreamChunk {
    public ReasoningChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delta, "delta");
    }

    /** A reasoning chunk not yet placed in a stream (id "", seq 0); the stream stamps it. */
    public static ReasoningChunk of(String delta) {
        return new ReasoningChunk("", 0, delta);
    }

    @Override
    public ChunkType type() {
        return ChunkType.REASONING;
    }

    @Override
    public ReasoningChunk withPosition(String id, long seq) {
        return new ReasoningChunk(id, seq, delta);
    }
}
