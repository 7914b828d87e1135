package io.aistream.request;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import java.util.Objects;
import java.util.Optional;

/**
 * A request body that is not a valid request: malformed JSON, a missing or mistyped field, a value
 * out of range, an unknown field. Code {@code invalid_request}, not retryable.
 *
 * <p>{@link #field()} is the path of the offending field in the JSON body, e.g.
 * {@code messages[2].content[0].url}, and empty when the body as a whole is at fault (it is not
 * JSON, or not an object); {@link #problem()} says what is wrong with it. The message is
 * {@code "<field>: <problem>"}, or just the problem when there is no field.
 */
public final class InvalidRequestException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    /**
     * @param field   the field's path in the body; {@code ""} for the body as a whole
     * @param problem what is wrong, e.g. {@code "must be a string"}
     */
    public InvalidRequestException(String field, String problem) {
        this(field, problem, null);
    }

    /** Like {@link #InvalidRequestException(String, String)}, with the cause. */
    public InvalidRequestException(String field, String problem, Throwable cause) {
        super(ErrorCode.INVALID_REQUEST, message(field, problem), cause);
        this.field = Objects.requireNonNull(field, "field");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    private static String message(String field, String problem) {
        return field == null || field.isEmpty() ? problem : field + ": " + problem;
    }

    /** The path of the offending field, empty when the body as a whole is at fault. */
    public Optional<String> field() {
        return field.isEmpty() ? Optional.empty() : Optional.of(field);
    }

    /** What is wrong with the field (or the body), without the field path. */
    public String problem() {
        return problem;
    }
}
