package io.aistream.chunk;

import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One complete tool call, assembled from all {@link ToolCallDelta} fragments with the same index.
 *
 * @param index         position of the call within the assistant turn, from 0
 * @param callId        the provider's call id; "" if the stream never carried one
 * @param name          the tool's name; "" if the stream never carried one
 * @param argumentsJson the arguments' JSON text exactly as concatenated from the fragments
 *                      ({@code "{}"} when there were none)
 * @param arguments     the parsed arguments ({@code {}} when there were none); treat as read-only
 * @param state         reasoning state the provider attached to the call (a Gemini thought
 *                      signature), if any
 */
public record ToolCall(
        int index, String callId, String name, String argumentsJson, JsonNode arguments, Optional<ReasoningState> state)
        implements AnswerPart {
    public ToolCall {
        if (index < 0) {
            throw new IllegalArgumentException("tool call index must not be negative: " + index);
        }
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentsJson, "argumentsJson");
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(state, "state");
    }

    /** A tool call without reasoning state. */
    public ToolCall(int index, String callId, String name, String argumentsJson, JsonNode arguments) {
        this(index, callId, name, argumentsJson, arguments, Optional.empty());
    }
}
