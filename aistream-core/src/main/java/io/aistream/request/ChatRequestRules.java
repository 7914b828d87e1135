package io.aistream.request;

import io.aistream.json.JsonFieldException;
import io.aistream.json.JsonFieldReader;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The field rules every reader of a chat request shares, whatever the wire format ({@link
 * ChatRequestReader} for aistream's own, the gateway's OpenAI-compatible reader for Chat Completions):
 * the formats differ in field names and nesting, so each reader hands over the object and the field
 * name, and the rule and its error message stay the same everywhere.
 *
 * <p>Stateless and thread-safe; the builder and the set of tool names taken so far belong to the
 * caller (one per request).
 */
public final class ChatRequestRules {
    private ChatRequestRules() {}

    /**
     * Reads {@code definition}'s required {@code name} and adds it to {@code taken}.
     *
     * @return the name
     * @throws JsonFieldException pointing at the field when it is missing, not a string, blank, or
     *     already in {@code taken}
     */
    public static String toolName(JsonFieldReader definition, Set<String> taken) {
        String name = definition.requiredString("name");
        if (name.isBlank()) {
            throw definition.invalid("name", "must not be blank");
        }
        if (!taken.add(name)) {
            throw definition.invalid("name", "'" + name + "' is already the name of another tool");
        }
        return name;
    }

    /**
     * The tool {@code definition} defines: its unique {@linkplain #toolName name}, its optional
     * {@code description}, and the parameters {@code parameters} reads from it (the formats differ in
     * how), or {@link ToolDefinition#emptyParameters()} when it gives none. Read in that order.
     *
     * @throws JsonFieldException pointing at the first field that breaks a rule
     */
    public static ToolDefinition tool(
            JsonFieldReader definition, Set<String> taken, Function<JsonFieldReader, Optional<JsonNode>> parameters) {
        String name = toolName(definition, taken);
        Optional<String> description = definition.optionalString("description");
        JsonNode schema = parameters.apply(definition).orElseGet(ToolDefinition::emptyParameters);
        return new ToolDefinition(name, description, schema);
    }

    /**
     * Sets the builder's temperature from {@code body}'s optional number {@code field} (0 to 2).
     *
     * @throws JsonFieldException pointing at the field when it is not a number in range
     */
    public static void temperature(JsonFieldReader body, String field, ChatRequest.Builder b) {
        body.optionalNumber(field).ifPresent(t -> {
            if (!(t >= 0 && t <= 2)) {
                throw body.invalid(field, "must be between 0 and 2");
            }
            b.temperature(t);
        });
    }

    /**
     * Sets the builder's top-p from {@code body}'s optional number {@code field} (above 0, at most 1).
     *
     * @throws JsonFieldException pointing at the field when it is not a number in range
     */
    public static void topP(JsonFieldReader body, String field, ChatRequest.Builder b) {
        body.optionalNumber(field).ifPresent(p -> {
            if (!(p > 0 && p <= 1)) {
                throw body.invalid(field, "must be greater than 0 and at most 1");
            }
            b.topP(p);
        });
    }
}
