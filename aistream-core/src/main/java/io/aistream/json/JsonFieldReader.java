package io.aistream.json;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A strict reader of one JSON object's fields that knows where the object sits in its document,
 * so that every error names the full path of the offending value.
 *
 * <pre>{@code
 * JsonFieldReader body = JsonFieldReader.root(tree, "the body");
 * body.allowOnly(Set.of("model", "messages"));
 * Optional<String> model = body.optionalString("model");
 * for (JsonFieldValue m : body.requiredArray("messages", "an array of messages")) {
 *     JsonFieldReader message = m.asObject();              // path messages[i]
 *     String role = message.requiredString("role");        // "messages[3].role: is required"
 * }
 * }</pre>
 *
 * <p>Rules every reader of this kind shares:
 * <ul>
 *   <li>A field that is absent and a field that is JSON {@code null} are the same: absent.</li>
 *   <li>Paths join names with {@code .} and array indexes with {@code [i]}: {@code tools[1].name}.</li>
 *   <li>{@link #allowOnly(Set)} refuses the first field not in the set, naming it with its path and
 *       listing the allowed names, sorted.</li>
 *   <li>Type errors read {@code "must be <expected>, found <kind>"}, a missing field
 *       {@code "is required"}; anything the caller checks itself goes through {@link #invalid}.</li>
 *   <li>Duplicate field names cannot be seen in a tree: parse with {@link Jackson#strictMapper()}, which
 *       refuses them.</li>
 * </ul>
 *
 * <p>Every problem is a {@link JsonFieldException}; the caller maps it to its protocol's error at its
 * boundary. A reader is a read-only view of the tree; it is immutable and may be shared between
 * threads as long as nobody mutates the tree.
 */
public final class JsonFieldReader {
    private final String path;
    private final JsonNode object;

    JsonFieldReader(String path, JsonNode object) {
        this.path = path;
        this.object = object;
    }

    /**
     * A reader of the document's top-level object; otherwise the error (with an empty path)
     * "{@code subject} must be a JSON object, found <kind>".
     *
     * @param subject what the document is, for the error: {@code "the body"}, {@code "a message"}
     */
    public static JsonFieldReader root(JsonNode document, String subject) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(subject, "subject");
        if (!document.isObject()) {
            throw JsonFieldException.wrongType(
                    "",
                    "a JSON object",
                    subject + " must be a JSON object, found " + JsonKind.describe(document),
                    JsonKind.of(document));
        }
        return new JsonFieldReader("", document);
    }

    /** This object's path; empty for the top-level object. */
    public String path() {
        return path;
    }

    /** The object node, e.g. to iterate free-form fields. */
    public JsonNode node() {
        return object;
    }

    /** The path of field {@code name} of this object. */
    public String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /**
     * Refuses a field whose name is not in {@code allowed}: "unknown field; expected one of &lt;allowed,
     * sorted&gt;" at the field's path. Fields are checked in document order; the first unknown one is
     * reported.
     *
     * @return this reader
     */
    public JsonFieldReader allowOnly(Set<String> allowed) {
        for (String name : object.propertyNames()) {
            if (!allowed.contains(name)) {
                throw JsonFieldException.unknownField(pathOf(name), allowed);
            }
        }
        return this;
    }

    /** Whether field {@code name} is present and not JSON {@code null}. */
    public boolean has(String name) {
        JsonNode value = object.get(name);
        return value != null && !value.isNull();
    }

    /** Field {@code name}, or empty when it is absent or JSON {@code null}. */
    public Optional<JsonFieldValue> optional(String name) {
        JsonNode value = object.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(JsonFieldValue.at(pathOf(name), value));
    }

    /** Field {@code name}; absent or {@code null} is "is required". */
    public JsonFieldValue required(String name) {
        return optional(name).orElseThrow(() -> JsonFieldException.missing(pathOf(name)));
    }

    /** A string field, or empty when absent; another type is "must be a string". */
    public Optional<String> optionalString(String name) {
        return optional(name).map(JsonFieldValue::asString);
    }

    /** A required string field. */
    public String requiredString(String name) {
        return required(name).asString();
    }

    /** A boolean field, {@code ifAbsent} when absent; another type is "must be true or false". */
    public boolean optionalBoolean(String name, boolean ifAbsent) {
        return optional(name).map(JsonFieldValue::asBoolean).orElse(ifAbsent);
    }

    /** A number field as a double, or empty when absent; another type is "must be a number". */
    public OptionalDouble optionalNumber(String name) {
        Optional<JsonFieldValue> value = optional(name);
        return value.isEmpty()
                ? OptionalDouble.empty()
                : OptionalDouble.of(value.get().asNumber());
    }

    /** A whole-number field in {@code [min, max]} (see {@link JsonFieldValue#asInt}), or empty when absent. */
    public OptionalInt optionalInt(String name, int min, int max) {
        Optional<JsonFieldValue> value = optional(name);
        return value.isEmpty()
                ? OptionalInt.empty()
                : OptionalInt.of(value.get().asInt(min, max));
    }

    /** An object field's reader, or empty when absent; another type is "must be an object". */
    public Optional<JsonFieldReader> optionalObject(String name) {
        return optional(name).map(JsonFieldValue::asObject);
    }

    /** A required object field's reader. */
    public JsonFieldReader requiredObject(String name) {
        return required(name).asObject();
    }

    /** An array field's elements, or empty when absent; another type is "must be {@code expected}". */
    public Optional<List<JsonFieldValue>> optionalArray(String name, String expected) {
        return optional(name).map(v -> v.asArray(expected));
    }

    /** A required array field's elements; another type is "must be {@code expected}". */
    public List<JsonFieldValue> requiredArray(String name, String expected) {
        return required(name).asArray(expected);
    }

    /**
     * A field that is a string or an array of strings (see {@link JsonFieldValue#asStrings}), or an
     * empty list when absent.
     */
    public List<String> optionalStrings(String name, String expected) {
        return optional(name).map(v -> v.asStrings(expected)).orElse(List.of());
    }

    /** The error "{@code problem}" about this object as a whole, at its path. */
    public JsonFieldException invalid(String problem) {
        return JsonFieldException.invalid(path, problem);
    }

    /** The error "{@code problem}" about field {@code name}, at its path (present or not). */
    public JsonFieldException invalid(String name, String problem) {
        return JsonFieldException.invalid(pathOf(name), problem);
    }

    /** The error "is required" for field {@code name}, for a requirement the caller checks itself. */
    public JsonFieldException missing(String name) {
        return JsonFieldException.missing(pathOf(name));
    }

    @Override
    public String toString() {
        return (path.isEmpty() ? "<document>" : path) + " = " + object;
    }
}
