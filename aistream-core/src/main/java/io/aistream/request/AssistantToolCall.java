package io.aistream.request;

import io.aistream.chunk.ReasoningState;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A tool call the assistant made in an earlier turn, sent back as conversation history.
 *
 * @param id        the provider's call id, which the matching {@link Message.Tool} result refers to
 * @param name      the tool's name
 * @param arguments the call's arguments as a JSON object
 * @param state     reasoning state attached to the call (a Gemini thought signature), if any
 */
public record AssistantToolCall(String id, String name, JsonNode arguments, Optional<ReasoningState> state)
        implements AssistantPart {
    public AssistantToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(state, "state");
    }

    /** A tool call without reasoning state. */
    public AssistantToolCall(String id, String name, JsonNode arguments) {
        this(id, name, arguments, Optional.empty());
    }
}
