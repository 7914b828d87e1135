package io.aistream.server.openai;

import io.aistream.json.JsonFieldException;
import io.aistream.json.JsonKind;
import java.util.function.Function;

/**
 * OpenAI's wording of the field errors both OpenAI readers ({@link OpenAiRequest}, {@link ResponsesRequest})
 * find, modelled on OpenAI's own answers: {@code missing_required_parameter}, {@code invalid_type}
 * ("expected …, but got an integer instead") and {@code invalid_value}, each with the path as
 * {@code param}. Unknown fields are worded by each reader, since the two APIs word them differently.
 */
final class OpenAiFieldErrors {
    private OpenAiFieldErrors() {}

    /**
     * The 400 for {@code e}.
     *
     * @param unknownField the error for a field the reader does not know ({@code UNKNOWN_FIELD})
     */
    static OpenAiError.Failure failure(JsonFieldException e, Function<JsonFieldException, OpenAiError> unknownField) {
        String path = e.path();
        OpenAiError error = switch (e.reason()) {
            case MISSING ->
                OpenAiError.invalid(path, "missing_required_parameter", "Missing required parameter: '" + path + "'.");
            case WRONG_TYPE -> {
                String found = found(e.found().orElse(JsonKind.OTHER));
                yield path.isEmpty()
                        ? OpenAiError.invalid(
                                null,
                                "invalid_type",
                                "the request body must be a JSON object, but got " + found + " instead.")
                        : OpenAiError.invalid(
                                path,
                                "invalid_type",
                                "Invalid type for '" + path + "': expected " + expected(e) + ", but got " + found
                                        + " instead.");
            }
            case UNKNOWN_FIELD -> unknownField.apply(e);
            case INVALID_VALUE ->
                OpenAiError.invalid(path, "invalid_value", "Invalid value for '" + path + "': " + e.problem() + ".");
        };
        return error.failure();
    }

    /** How OpenAI names a type the core reader words its own way. */
    private static String expected(JsonFieldException e) {
        String expected = e.expected().orElseThrow();
        return switch (expected) {
            case "true or false" -> "a boolean";
            case "a whole number" -> "an integer";
            default -> expected;
        };
    }

    private static String found(JsonKind kind) {
        return switch (kind) {
            case INTEGER -> "an integer";
            case DECIMAL -> "a decimal";
            case OTHER -> "an unexpected value";
            default -> kind.described();
        };
    }
}
