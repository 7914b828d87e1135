package io.aistream.server.resume;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.UnknownChunk;

/**
 * A cheap estimate of the memory a kept chunk costs: a fixed overhead plus two bytes per character
 * of its text fields. Deterministic, so eviction can subtract exactly what an append added.
 */
final class ChunkSize {
    private static final int OVERHEAD = 96;

    private ChunkSize() {}

    static long estimate(StreamChunk chunk) {
        long chars = switch (chunk) {
            case ContentChunk c -> c.delta().length();
            case ReasoningChunk r -> r.delta().length();
            case ToolCallChunk t ->
                t.toolCall().argumentsDelta().length()
                        + t.toolCall().callId().map(String::length).orElse(0)
                        + t.toolCall().name().map(String::length).orElse(0);
            case ErrorChunk e -> e.error().message().length() + e.error().code().length();
            case DoneChunk d ->
                d.content().map(String::length).orElse(0)
                        + d.refusal().map(String::length).orElse(0);
            case UnknownChunk u -> u.wireType().length() + u.fields().length(); // its raw JSON
        };
        return OVERHEAD + 2 * chars;
    }
}
