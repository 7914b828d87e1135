package io.aistream.chunk;

import java.util.Objects;
import java.util.Optional;

/**
 * A piece of the answer's text.
 *
 * @param state reasoning state the provider attached to this text (a Gemini thought signature on a
 *              text part); usually empty, and then often with an empty {@code delta}
 */
public record ContentChunk(String id, long seq, String delta, Optional<ReasoningState> state) implements StreamChunk {
    public ContentChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delta, "delta");
        Objects.requireNonNull(state, "state");
    }

    /** A content chunk without reasoning state. */
    public ContentChunk(String id, long seq, String delta) {
        this(id, seq, delta, Optional.empty());
    }

    /** A content chunk not yet placed in a stream (id "", seq 0); the stream stamps it. */
    public static ContentChunk of(String delta) {
        return new ContentChunk("", 0, delta, Optional.empty());
    }

    /** A content chunk carrying reasoning state, not yet placed in a stream. */
    public static ContentChunk of(String delta, ReasoningState state) {
        return new ContentChunk("", 0, delta, Optional.of(state));
    }

    @Override
    public ChunkType type() {
        return ChunkType.CONTENT;
    }

    @Override
    public ContentChunk withPosition(String id, long seq) {
        return new ContentChunk(id, seq, delta, state);
    }
}
