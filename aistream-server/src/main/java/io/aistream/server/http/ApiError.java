package io.aistream.server.http;

import io.aistream.request.InvalidRequestException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An error answer of the gateway, before anything of a stream was sent:
 * {@code {"error":{"code":"…","message":"…","field":"…"}}} with an HTTP status and optional extra
 * headers (e.g. {@code Retry-After}). Thrown by endpoints; the {@link Dispatcher} writes it in the
 * matched route's error shape ({@link ErrorWriter}).
 *
 * @param status  the HTTP status
 * @param code    a stable machine-readable code, e.g. {@code invalid_request}
 * @param message what went wrong, for people; never a stack trace, never a secret
 * @param field   the offending request field, when there is one
 * @param headers extra response headers
 */
public record ApiError(int status, String code, String message, Optional<String> field, Map<String, String> headers) {
    public ApiError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(field, "field");
        headers = Map.copyOf(headers);
    }

    public static ApiError of(int status, String code, String message) {
        return new ApiError(status, code, message, Optional.empty(), Map.of());
    }

    public static ApiError invalid(String field, String message) {
        return new ApiError(400, "invalid_request", message, Optional.ofNullable(field), Map.of());
    }

    /** The 400 answer to a request a reader rejected: its message, naming the field it points at. */
    public static ApiError invalid(InvalidRequestException e) {
        return new ApiError(400, "invalid_request", e.getMessage(), e.field(), Map.of());
    }

    public ApiError withHeader(String name, String value) {
        var all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiError(status, code, message, field, all);
    }

    /** Thrown to answer with this error. */
    public Failure failure() {
        return new Failure(this);
    }

    /** The unchecked carrier of an {@link ApiError}; no stack trace (it is control flow, not a bug). */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ApiError error;

        public Failure(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public ApiError error() {
            return error;
        }
    }
}
