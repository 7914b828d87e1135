package io.aistream.request;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A tool call the assistant made in an earlier turn, sent back as conversation history.
 *
 * @param id        the provider's call id, which the matching {@link Message.Tool} result refers to
 * @param name      the tool's name
 * @param arguments the call's arguments as a JSON object
 */
public record AssistantToolCall(String id, String name, JsonNode arguments) {
    public AssistantToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
