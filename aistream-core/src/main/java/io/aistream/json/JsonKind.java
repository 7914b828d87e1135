package io.aistream.json;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * What kind of JSON value a node is, as an error message names it ("found a number"). Integers and
 * decimals are told apart for readers whose error shape distinguishes them; both are
 * {@linkplain #described() described} as "a number".
 */
public enum JsonKind {
    STRING("a string"),
    INTEGER("a number"),
    DECIMAL("a number"),
    BOOLEAN("a boolean"),
    ARRAY("an array"),
    OBJECT("an object"),
    NULL("null"),
    /** Anything a parser does not produce: a binary, POJO or missing node. */
    OTHER("another JSON value");

    private final String described;

    JsonKind(String described) {
        this.described = described;
    }

    /** The kind of {@code node}. */
    public static JsonKind of(JsonNode node) {
        if (node.isString()) {
            return STRING;
        }
        if (node.isIntegralNumber()) {
            return INTEGER;
        }
        if (node.isNumber()) {
            return DECIMAL;
        }
        if (node.isBoolean()) {
            return BOOLEAN;
        }
        if (node.isArray()) {
            return ARRAY;
        }
        if (node.isObject()) {
            return OBJECT;
        }
        return node.isNull() ? NULL : OTHER;
    }

    /** The kind with its article, as messages say it: "a string", "an array", "null". */
    public String described() {
        return described;
    }

    /** How a message names {@code node}'s kind; for {@link #OTHER} it names the node type. */
    static String describe(JsonNode node) {
        JsonKind kind = of(node);
        return kind == OTHER ? "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT) : kind.described;
    }
}
