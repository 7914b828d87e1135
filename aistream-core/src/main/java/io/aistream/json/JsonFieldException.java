package io.aistream.json;

import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A JSON value that breaks the shape a {@link JsonFieldReader} expects: missing, of the wrong type,
 * not allowed, or out of range.
 *
 * <p>{@link #path()} names the offending value, e.g. {@code messages[2].content[0].url}, and is
 * empty when the document as a whole is at fault; {@link #problem()} says what is wrong with it,
 * without the path. The message is {@code "<path>: <problem>"}, or just the problem when the path is
 * empty.
 *
 * <p>Readers of a particular protocol catch it at their boundary and map it to their own error
 * (the native request reader to an {@code InvalidRequestException} with the path as its field, an
 * OpenAI-shaped endpoint to a 400 with the path as its {@code param}). A mapper that words errors
 * its own way uses {@link #reason()} and the details it carries: {@link #expected()} and
 * {@link #found()} for a type error, {@link #allowed()} for an unknown field.
 *
 * <p>Carries no stack trace: it reports bad input, not a bug, and is thrown as often as clients
 * send bad requests.
 */
public final class JsonFieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a value was refused. */
    public enum Reason {
        /** A required field is absent or JSON {@code null}. */
        MISSING,
        /** The value has the wrong JSON type ({@link #expected()}, {@link #found()}). */
        WRONG_TYPE,
        /** The object has a field its shape does not allow ({@link #allowed()}). */
        UNKNOWN_FIELD,
        /** The value has the right type but is not acceptable (out of range, not one of the choices, ...). */
        INVALID_VALUE
    }

    private final String path;
    private final String problem;
    private final Reason reason;
    private final String expected;
    private final JsonKind found;
    private final TreeSet<String> allowed;

    private JsonFieldException(
            String path, String problem, Reason reason, String expected, JsonKind found, TreeSet<String> allowed) {
        super(path.isEmpty() ? problem : path + ": " + problem, null, false, false);
        this.path = path;
        this.problem = problem;
        this.reason = reason;
        this.expected = expected;
        this.found = found;
        this.allowed = allowed;
    }

    /** A value at {@code path} that has the right type but is not acceptable; {@code problem} says why. */
    public static JsonFieldException invalid(String path, String problem) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(problem, "problem");
        return new JsonFieldException(path, problem, Reason.INVALID_VALUE, null, null, new TreeSet<>());
    }

    static JsonFieldException missing(String path) {
        return new JsonFieldException(path, "is required", Reason.MISSING, null, null, new TreeSet<>());
    }

    static JsonFieldException wrongType(String path, String expected, String problem, JsonKind found) {
        return new JsonFieldException(path, problem, Reason.WRONG_TYPE, expected, found, new TreeSet<>());
    }

    static JsonFieldException unknownField(String path, Collection<String> allowed) {
        TreeSet<String> names = new TreeSet<>(allowed);
        return new JsonFieldException(
                path,
                "unknown field; expected one of " + String.join(", ", names),
                Reason.UNKNOWN_FIELD,
                null,
                null,
                names);
    }

    /** The path of the offending value, e.g. {@code tools[1].name}; empty for the document itself. */
    public String path() {
        return path;
    }

    /** The path, or empty when the document as a whole is at fault. */
    public Optional<String> field() {
        return path.isEmpty() ? Optional.empty() : Optional.of(path);
    }

    /** What is wrong with the value, without its path, e.g. {@code "must be a string, found a number"}. */
    public String problem() {
        return problem;
    }

    /** Why the value was refused. */
    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#WRONG_TYPE}: what the value had to be, e.g. {@code "an array of messages"}. */
    public Optional<String> expected() {
        return Optional.ofNullable(expected);
    }

    /** For {@link Reason#WRONG_TYPE}: what the value was. */
    public Optional<JsonKind> found() {
        return Optional.ofNullable(found);
    }

    /** For {@link Reason#UNKNOWN_FIELD}: the field names the object allows, sorted; otherwise empty. */
    public SortedSet<String> allowed() {
        return Collections.unmodifiableSortedSet(allowed);
    }
}
