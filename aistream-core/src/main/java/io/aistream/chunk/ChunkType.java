package io.aistream.chunk;

import java.util.Optional;

/** The {@code type} of a chunk as it appears in JSON. */
public enum ChunkType {
    CONTENT("content"),
    REASONING("reasoning"),
    TOOL_CALL("tool_call"),
    ERROR("error"),
    DONE("done");

    private final String wireName;

    ChunkType(String wireName) {
        this.wireName = wireName;
    }

    /** The type as written in JSON. */
    public String wireName() {
        return wireName;
    }

    /** The type with this wire name, if any. */
    public static Optional<ChunkType> fromWire(String wireName) {
        for (ChunkType t : values()) {
            if (t.wireName.equals(wireName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
