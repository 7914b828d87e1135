package io.aistream.chunk;

import java.util.Objects;

/** A fragment of a tool call; see {@link ToolCallDelta}. */
public record ToolCallChunk(String id, long seq, ToolCallDelta toolCall) implements StreamChunk {
    public ToolCallChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(toolCall, "toolCall");
    }

    /** A tool-call chunk not yet placed in a stream; the stream stamps it. */
    public static ToolCallChunk of(ToolCallDelta toolCall) {
        return new ToolCallChunk("", 0, toolCall);
    }

    @Override
    public ChunkType type() {
        return ChunkType.TOOL_CALL;
    }

    @Override
    public ToolCallChunk withPosition(String id, long seq) {
        return new ToolCallChunk(id, seq, toolCall);
    }
}
