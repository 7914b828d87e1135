package io.aistream.chunk;

import java.util.Objects;
import java.util.Optional;

/**
 * A piece of the model's reasoning ("thinking") text, where the provider exposes it.
 *
 * <p>A chunk with {@link #state()} ends the reasoning block it belongs to: it carries the block's
 * signature (Anthropic, Bedrock: after the block's last delta, usually with an empty delta), a
 * Gemini thought signature, an OpenAI Responses item's id and encrypted content, or stands for a
 * whole redacted block ({@link ReasoningState#redacted()}, empty delta). See {@link Accumulator}.
 *
 * @param state the reasoning state the provider requires back with the next request, if any
 */
public record ReasoningChunk(String id, long seq, String delta, Optional<ReasoningState> state) implements StreamChunk {
    public ReasoningChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delta, "delta");
        Objects.requireNonNull(state, "state");
    }

    /** A reasoning chunk without state. */
    public ReasoningChunk(String id, long seq, String delta) {
        this(id, seq, delta, Optional.empty());
    }

    /** A reasoning chunk not yet placed in a stream (id "", seq 0); the stream stamps it. */
    public static ReasoningChunk of(String delta) {
        return new ReasoningChunk("", 0, delta, Optional.empty());
    }

    /** A reasoning chunk carrying state (and often an empty delta), not yet placed in a stream. */
    public static ReasoningChunk of(String delta, ReasoningState state) {
        return new ReasoningChunk("", 0, delta, Optional.of(state));
    }

    @Override
    public ChunkType type() {
        return ChunkType.REASONING;
    }

    @Override
    public ReasoningChunk withPosition(String id, long seq) {
        return new ReasoningChunk(id, seq, delta, state);
    }
}
