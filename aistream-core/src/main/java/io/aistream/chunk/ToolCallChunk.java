package io.aistream.chunk;

import java.util.Objects;
import java.util.Optional;

/**
 * A fragment of a tool call; see {@link ToolCallDelta}.
 *
 * @param state reasoning state the provider attached to this call (a Gemini thought signature on a
 *              function-call part), if any
 */
public record ToolCallChunk(String id, long seq, ToolCallDelta toolCall, Optional<ReasoningState> state)
        implements StreamChunk {
    public ToolCallChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(toolCall, "toolCall");
        Objects.requireNonNull(state, "state");
    }

    /** A tool-call chunk without reasoning state. */
    public ToolCallChunk(String id, long seq, ToolCallDelta toolCall) {
        this(id, seq, toolCall, Optional.empty());
    }

    /** A tool-call chunk not yet placed in a stream; the stream stamps it. */
    public static ToolCallChunk of(ToolCallDelta toolCall) {
        return new ToolCallChunk("", 0, toolCall, Optional.empty());
    }

    /** A tool-call chunk carrying reasoning state, not yet placed in a stream. */
    public static ToolCallChunk of(ToolCallDelta toolCall, ReasoningState state) {
        return new ToolCallChunk("", 0, toolCall, Optional.of(state));
    }

    @Override
    public ChunkType type() {
        return ChunkType.TOOL_CALL;
    }

    @Override
    public ToolCallChunk withPosition(String id, long seq) {
        return new ToolCallChunk(id, seq, toolCall, state);
    }
}
