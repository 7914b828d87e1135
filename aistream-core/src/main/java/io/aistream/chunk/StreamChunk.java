package io.aistream.chunk;

/**
 * One chunk of a stream: the unit every provider's wire format is turned into.
 *
 * <p>Every chunk carries its stream's {@link #id()} and a gap-free {@link #seq()} starting at 0.
 * A stream ends with exactly one {@link DoneChunk}. Chunks are immutable values, safe to share
 * between threads. Switch over them exhaustively:
 *
 * <pre>{@code
 * switch (chunk) {
 *     case ContentChunk c -> out.print(c.delta());
 *     case ReasoningChunk r -> log(r.delta());
 *     case ToolCallChunk t -> tools.add(t.toolCall());
 *     case ErrorChunk e -> warn(e.error());
 *     case DoneChunk d -> finish(d.finishReason());
 *     case UnknownChunk u -> { } // a type from a newer server: pass it on or skip it
 * }
 * }</pre>
 *
 * <p>JSON form: see {@link ChunkJson}.
 */
public sealed interface StreamChunk
        permits ContentChunk, ReasoningChunk, ToolCallChunk, ErrorChunk, DoneChunk, UnknownChunk {

    /** The stream this chunk belongs to, e.g. {@code st_1}. */
    String id();

    /** Position in the stream, from 0, without gaps. */
    long seq();

    /** The {@code type} discriminator. */
    ChunkType type();

    /** This chunk re-stamped with another stream id and sequence number. */
    StreamChunk withPosition(String id, long seq);

    /** Whether this is the stream's terminal chunk. */
    default boolean isTerminal() {
        return this instanceof DoneChunk;
    }
}
