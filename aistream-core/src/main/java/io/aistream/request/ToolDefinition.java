package io.aistream.request;

import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A tool the model may call.
 *
 * @param name        the tool's name, unique within the request
 * @param description what the tool does, for the model
 * @param parameters  a JSON Schema object describing the arguments
 */
public record ToolDefinition(String name, Optional<String> description, JsonNode parameters) {
    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parameters, "parameters");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tool name must not be blank");
        }
        if (!parameters.isObject()) {
            throw new IllegalArgumentException("tool '" + name + "' parameters must be a JSON Schema object");
        }
    }
}
