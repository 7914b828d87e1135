package io.aistream.provider.support;

import io.aistream.json.Jackson;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON mapper and small node helpers shared by the provider packages. Thread-safe. */
public final class Json {
    // an event's data is exactly one JSON value: anything after it is a malformed event
    public static final JsonMapper MAPPER = Jackson.mapperBuilder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final int MAX_DESCRIPTION = 200;

    private Json() {}

    /** The node's string value, or null when it is missing, null or not a string. */
    public static String text(JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }

    /** The node's string value, or {@code fallback}. */
    public static String text(JsonNode node, String fallback) {
        String s = text(node);
        return s == null ? fallback : s;
    }

    /** Puts {@code values} under {@code name} as an array of strings, unless there are none. */
    public static void putStrings(ObjectNode target, String name, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = target.putArray(name);
            values.forEach(array::add);
        }
    }

    /** Sets {@code name} to {@code value}, merging recursively into an existing object. */
    public static void merge(ObjectNode target, String name, JsonNode value) {
        JsonNode existing = target.get(name);
        if (existing instanceof ObjectNode existingObject && value instanceof ObjectNode valueObject) {
            for (Map.Entry<String, JsonNode> entry : valueObject.properties()) {
                merge(existingObject, entry.getKey(), entry.getValue());
            }
        } else {
            target.set(name, value.deepCopy());
        }
    }

    /** Jackson's description of a parse problem, without the input echoed, cut to 200 characters. */
    public static String shortDescription(JacksonException e) {
        String m = String.valueOf(e.getOriginalMessage());
        return m.length() > MAX_DESCRIPTION ? m.substring(0, MAX_DESCRIPTION) + "…" : m;
    }

    /** Jackson's description of a parse problem with its position, without the input echoed. */
    public static String describe(JacksonException e) {
        String message = e.getOriginalMessage();
        var location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return message;
    }
}
