package io.aistream.chunk;

import java.util.Objects;

/** A piece of the answer's text. */
public record ContentChunk(String id, long seq, String delta) implements StreamChunk {
    public ContentChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delta, "delta");
    }

    /** A content chunk not yet placed in a stream (id "", seq 0); the stream stamps it. */
    public static ContentChunk of(String delta) {
        return new ContentChunk("", 0, delta);
    }

    @Override
    public ChunkType type() {
        return ChunkType.CONTENT;
    }

    @Override
    public ContentChunk withPosition(String id, long seq) {
        return new ContentChunk(id, seq, delta);
    }
}
