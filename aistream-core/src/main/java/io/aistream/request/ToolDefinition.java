package io.aistream.request;

import io.aistream.json.Jackson;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

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

    /**
     * The parameters of a tool whose definition gives none: {@code {"type":"object","properties":{}}},
     * a schema that takes no arguments. A new node on every call, so the caller may keep or change it.
     */
    public static ObjectNode emptyParameters() {
        ObjectNode schema = Jackson.mapper().createObjectNode();
        schema.put("type", "object");
        schema.putObject("properties");
        return schema;
    }
}
