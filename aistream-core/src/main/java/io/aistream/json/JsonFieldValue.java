package io.aistream.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One JSON value together with its path in the document ({@code model}, {@code messages[2]},
 * {@code messages[2].content[0].url}): the typed {@code as…} accessors return it as a Java value or
 * throw a {@link JsonFieldException} naming that path.
 *
 * <p>Type errors read {@code "must be <expected>, found <kind>"}; methods that take an
 * {@code expected} text let the caller word it for its shape ({@code "an array of messages"}).
 *
 * <p>A value is a read-only view: it neither copies nor changes the node. Instances are immutable
 * and may be shared between threads as long as nobody mutates the underlying tree.
 */
public final class JsonFieldValue {
    private final String path;
    private final JsonNode node;

    private JsonFieldValue(String path, JsonNode node) {
        this.path = path;
        this.node = node;
    }

    /** The value {@code node} at {@code path} ({@code ""} for the document itself). */
    public static JsonFieldValue at(String path, JsonNode node) {
        return new JsonFieldValue(Objects.requireNonNull(path, "path"), Objects.requireNonNull(node, "node"));
    }

    /** The value's path, e.g. {@code messages[0].content}; empty for the document itself. */
    public String path() {
        return path;
    }

    /** The underlying node, for values the caller reads as free-form JSON. */
    public JsonNode node() {
        return node;
    }

    /** The kind of JSON value this is. */
    public JsonKind kind() {
        return JsonKind.of(node);
    }

    /** Whether this is a JSON string. */
    public boolean isString() {
        return node.isString();
    }

    /** Whether this is a JSON array. */
    public boolean isArray() {
        return node.isArray();
    }

    /** Whether this is a JSON object. */
    public boolean isObject() {
        return node.isObject();
    }

    /** The string; otherwise "must be a string". */
    public String asString() {
        if (!node.isString()) {
            throw mustBe("a string");
        }
        return node.stringValue();
    }

    /** The boolean; otherwise "must be true or false". */
    public boolean asBoolean() {
        if (!node.isBoolean()) {
            throw mustBe("true or false");
        }
        return node.booleanValue();
    }

    /** The number (integer or decimal) as a double; otherwise "must be a number". */
    public double asNumber() {
        if (!node.isNumber()) {
            throw mustBe("a number");
        }
        return node.doubleValue();
    }

    /**
     * A whole number in {@code [min, max]}. A decimal (even {@code 2.0}) or a whole number beyond
     * {@code int} is "must be a whole number"; one out of bounds is "must be positive" for
     * {@code [1, Integer.MAX_VALUE]}, "must not be negative" for {@code [0, Integer.MAX_VALUE]},
     * "must be at least <min>" for another unbounded range, "must be between <min> and <max>" otherwise.
     */
    public int asInt(int min, int max) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw mustBe("a whole number");
        }
        int value = node.intValue();
        if (value < min || value > max) {
            throw invalid(outOfBounds(min, max, Integer.MAX_VALUE));
        }
        return value;
    }

    /** Like {@link #asInt(int, int)} for {@code long}; the bounds are worded against {@code Long.MAX_VALUE}. */
    public long asLong(long min, long max) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw mustBe("a whole number");
        }
        long value = node.longValue();
        if (value < min || value > max) {
            throw invalid(outOfBounds(min, max, Long.MAX_VALUE));
        }
        return value;
    }

    private static String outOfBounds(long min, long max, long unbounded) {
        if (max != unbounded) {
            return "must be between " + min + " and " + max;
        }
        if (min == 1) {
            return "must be positive";
        }
        return min == 0 ? "must not be negative" : "must be at least " + min;
    }

    /** A reader of this object's fields; otherwise "must be an object". */
    public JsonFieldReader asObject() {
        return asObject("an object");
    }

    /** A reader of this object's fields; otherwise "must be {@code expected}". */
    public JsonFieldReader asObject(String expected) {
        if (!node.isObject()) {
            throw mustBe(expected);
        }
        return new JsonFieldReader(path, node);
    }

    /** The elements, each with its path ({@code path[i]}); otherwise "must be an array". */
    public List<JsonFieldValue> asArray() {
        return asArray("an array");
    }

    /** The elements, each with its path ({@code path[i]}); otherwise "must be {@code expected}". */
    public List<JsonFieldValue> asArray(String expected) {
        if (!node.isArray()) {
            throw mustBe(expected);
        }
        List<JsonFieldValue> elements = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            elements.add(new JsonFieldValue(path + "[" + i + "]", node.get(i)));
        }
        return elements;
    }

    /**
     * A string as a list of one, or an array of strings; anything else is "must be {@code expected}",
     * an element that is no string "must be a string" at its own path.
     */
    public List<String> asStrings(String expected) {
        if (node.isString()) {
            return List.of(node.stringValue());
        }
        List<String> strings = new ArrayList<>(node.size());
        for (JsonFieldValue element : asArray(expected)) {
            strings.add(element.asString());
        }
        return strings;
    }

    /** The error "must be {@code expected}, found &lt;this value's kind&gt;" at this path. */
    public JsonFieldException mustBe(String expected) {
        return JsonFieldException.wrongType(
                path, expected, "must be " + expected + ", found " + JsonKind.describe(node), JsonKind.of(node));
    }

    /** The error "{@code problem}" about this value, at this path. */
    public JsonFieldException invalid(String problem) {
        return JsonFieldException.invalid(path, problem);
    }

    @Override
    public String toString() {
        return (path.isEmpty() ? "<document>" : path) + " = " + node;
    }
}
