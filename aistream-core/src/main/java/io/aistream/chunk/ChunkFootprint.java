package io.aistream.chunk;

/**
 * A cheap, deterministic estimate of the heap a retained {@link StreamChunk} costs: a fixed
 * overhead per chunk plus two bytes per character of its text fields (a Java string's worst case).
 *
 * <p>Everything that keeps chunks and accounts for them (read-ahead queues, resume buffers) uses
 * this one formula, so that releasing a chunk subtracts exactly what retaining it added: the
 * estimate depends only on the chunk's text lengths, never on the heap's actual layout.
 * Thread-safe (stateless).
 */
public final class ChunkFootprint {
    /** The bytes counted for any chunk before its text: object headers, fields, id and seq. */
    public static final int OVERHEAD = 96;

    private ChunkFootprint() {}

    /** The estimated bytes {@code chunk} holds: {@link #OVERHEAD} plus {@link #text(long)} of its text fields. */
    public static long bytes(StreamChunk chunk) {
        long chars = switch (chunk) {
            case ContentChunk c -> c.delta().length() + stateChars(c.state());
            case ReasoningChunk r -> r.delta().length() + stateChars(r.state());
            case ToolCallChunk t ->
                stateChars(t.state())
                        + t.toolCall().argumentsDelta().length()
                        + t.toolCall().callId().map(String::length).orElse(0)
                        + t.toolCall().name().map(String::length).orElse(0);
            case ErrorChunk e -> e.error().message().length() + e.error().code().length();
            case DoneChunk d ->
                d.content().map(String::length).orElse(0)
                        + d.refusal().map(String::length).orElse(0);
            case UnknownChunk u -> u.wireType().length() + u.fields().length(); // its raw JSON
        };
        return OVERHEAD + text(chars);
    }

    private static long stateChars(java.util.Optional<ReasoningState> state) {
        return state.isEmpty() ? 0 : state.get().chars();
    }

    /** The estimated bytes of {@code chars} characters of text kept outside a chunk (e.g. in a builder). */
    public static long text(long chars) {
        return 2 * chars;
    }
}
