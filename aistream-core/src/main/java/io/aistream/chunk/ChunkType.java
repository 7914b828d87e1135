package io.aistream.chunk;

import java.util.Optional;

/**
 * The {@code type} of a chunk as it appears in JSON, and {@link #UNKNOWN} for every type this
 * version does not know.
 */
public enum ChunkType {
    CONTENT("content"),
    REASONING("reasoning"),
    TOOL_CALL("tool_call"),
    ERROR("error"),
    DONE("done"),
    /**
     * Any type not listed above: an {@link UnknownChunk}, which carries the type it was sent with
     * ({@link UnknownChunk#wireType()}). Its {@link #wireName()} {@code "unknown"} is only a label
     * (for metrics, logs); {@link #fromWire} never returns it.
     */
    UNKNOWN("unknown");

    private final String wireName;

    ChunkType(String wireName) {
        this.wireName = wireName;
    }

    /** The type as written in JSON; for {@link #UNKNOWN} a label, see there. */
    public String wireName() {
        return wireName;
    }

    /** The known type with this wire name, if any; never {@link #UNKNOWN}. */
    public static Optional<ChunkType> fromWire(String wireName) {
        for (ChunkType t : values()) {
            if (t != UNKNOWN && t.wireName.equals(wireName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
