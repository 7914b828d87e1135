package io.aistream.chunk;

import java.util.Objects;
import java.util.Optional;

/**
 * A fragment of one tool call. Fragments with the same {@link #index()} belong to the same call;
 * the first usually carries {@link #callId()} and {@link #name()}, later ones only a piece of the
 * JSON arguments.
 *
 * @param index          position of the call within the assistant turn, from 0
 * @param callId         the provider's call id, when this fragment carries it (JSON {@code id})
 * @param name           the tool's name, when this fragment carries it
 * @param argumentsDelta a piece of the arguments' JSON text, possibly empty
 */
public record ToolCallDelta(int index, Optional<String> callId, Optional<String> name, String argumentsDelta) {
    public ToolCallDelta {
        if (index < 0) {
            throw new IllegalArgumentException("tool call index must not be negative: " + index);
        }
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentsDelta, "argumentsDelta");
    }

    /** A first fragment: id and name, with the first piece of arguments (may be empty). */
    public static ToolCallDelta start(int index, String callId, String name, String argumentsDelta) {
        return new ToolCallDelta(index, Optional.of(callId), Optional.of(name), argumentsDelta);
    }

    /** A later fragment: only more argument text. */
    public static ToolCallDelta arguments(int index, String argumentsDelta) {
        return new ToolCallDelta(index, Optional.empty(), Optional.empty(), argumentsDelta);
    }
}
