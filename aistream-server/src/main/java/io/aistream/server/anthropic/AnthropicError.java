package io.aistream.server.anthropic;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.FinishReason;
import io.aistream.server.http.ApiError;
import io.aistream.server.http.ErrorWriter;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.Responses;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * An error of the Anthropic-compatible endpoint, in Anthropic's shape:
 * {@code {"type":"error","error":{"type":"…","message":"…"}}}.
 *
 * <p>Types by HTTP status, as Anthropic documents them: 400 (and any other 4xx not below)
 * {@code invalid_request_error}, 401 {@code authentication_error}, 402 {@code billing_error}, 403
 * {@code permission_error}, 404 {@code not_found_error}, 413 {@code request_too_large}, 429
 * {@code rate_limit_error}, 503 and 529 {@code overloaded_error}, 504 {@code timeout_error}, any other
 * 5xx {@code api_error}. A request field the error is about is named at the start of the message
 * ({@code messages.2.content.0.type: …}, Anthropic's own way; the shape has no field of its own).
 *
 * @param status  the HTTP status
 * @param type    Anthropic's error type
 * @param message for people; never a stack trace, never a secret
 * @param headers extra response headers (e.g. {@code Retry-After})
 */
record AnthropicError(int status, String type, String message, Map<String, String> headers) {
    static final String INVALID_REQUEST = "invalid_request_error";
    static final String NOT_FOUND = "not_found_error";
    static final String API_ERROR = "api_error";
    static final String OVERLOADED = "overloaded_error";

    /**
     * The Anthropic routes' error writer: {@link ApiError}s of shared code (body limit, stream limits,
     * authentication, bad HTTP) through {@link #from}, this type's own {@link Failure}s as they are.
     */
    static final ErrorWriter WRITER = new ErrorWriter() {
        @Override
        public void write(HttpResponse response, ApiError error) throws IOException {
            from(error).send(response);
        }

        @Override
        public boolean writeOwn(HttpResponse response, RuntimeException failure) throws IOException {
            if (failure instanceof Failure f) {
                f.error().send(response);
                return true;
            }
            return false;
        }
    };

    AnthropicError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        headers = Map.copyOf(headers);
    }

    /** A 400 {@code invalid_request_error}. */
    static AnthropicError invalid(String message) {
        return new AnthropicError(400, INVALID_REQUEST, message, Map.of());
    }

    /** An error of this status, typed per the table above. */
    static AnthropicError of(int status, String message) {
        return new AnthropicError(status, typeFor(status), message, Map.of());
    }

    /** Anthropic's error type for an HTTP status. */
    static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> NOT_FOUND;
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> OVERLOADED;
            case 504 -> "timeout_error";
            default -> status >= 500 ? API_ERROR : INVALID_REQUEST;
        };
    }

    /** The HTTP status Anthropic answers with an error of this type, if it is one of Anthropic's. */
    static Optional<Integer> statusOf(String type) {
        int status = switch (type) {
            case INVALID_REQUEST -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case NOT_FOUND -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case API_ERROR -> 500;
            case "timeout_error" -> 504;
            case OVERLOADED -> 529;
            default -> -1;
        };
        return status < 0 ? Optional.empty() : Optional.of(status);
    }

    /**
     * The same error as the gateway's native {@link ApiError} (raised by shared code), in Anthropic's
     * shape; the field it names, if any, leads the message (the native {@code provider} is {@code model}
     * here).
     */
    static AnthropicError from(ApiError e) {
        String message = e.field()
                .map(f -> (f.equals("provider") ? "model" : f) + ": " + e.message())
                .orElse(e.message());
        return new AnthropicError(e.status(), typeFor(e.status()), message, e.headers());
    }

    /**
     * What a stream that ended with {@code done(error)} or {@code done(aborted)} answers: for a
     * non-streaming request the HTTP status and body, for a streaming one the {@code error} event.
     * An error an Anthropic upstream reported keeps its type; otherwise rate limits stay 429, overload
     * is 529 {@code overloaded_error}, timeouts 504 {@code timeout_error}, a request the provider
     * rejected 400, anything else the upstream did wrong 502 {@code api_error} (the gateway's own
     * upstream credentials failing included: not the caller's fault). An abort (DELETE, shutdown) is
     * 503 {@code api_error}: the message did not finish and the caller is not at fault.
     */
    static AnthropicError fromStream(Optional<ChunkError> error, FinishReason reason) {
        if (reason == FinishReason.ABORTED) {
            return new AnthropicError(503, API_ERROR, "the stream was aborted before it finished", Map.of());
        }
        if (error.isEmpty()) {
            return new AnthropicError(502, API_ERROR, "the stream failed", Map.of());
        }
        ChunkError ce = error.get();
        String message = ce.provider().map(p -> p + ": ").orElse("") + ce.message();
        Optional<Integer> anthropic = statusOf(ce.code());
        if (anthropic.isPresent()) {
            return new AnthropicError(anthropic.get(), ce.code(), message, Map.of());
        }
        int status = switch (ce.code()) {
            case "rate_limited" -> 429;
            case "upstream_overloaded" -> 529;
            case "first_chunk_timeout", "idle_timeout", "total_timeout" -> 504;
            case "invalid_request" -> 400;
            default -> 502;
        };
        return new AnthropicError(status, typeFor(status), message, Map.of());
    }

    /** {@code {"type":"error","error":{"type":…,"message":…}}}. */
    ObjectNode body() {
        ObjectNode root = Responses.JSON.createObjectNode();
        root.put("type", "error");
        ObjectNode e = root.putObject("error");
        e.put("type", type);
        e.put("message", message);
        return root;
    }

    /** Writes this error as the whole response. */
    void send(HttpResponse response) throws IOException {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        Responses.json(response, status, body());
    }

    Failure failure() {
        return new Failure(this);
    }

    /** The unchecked carrier of an {@link AnthropicError}; control flow, so without a stack trace. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient AnthropicError error;

        Failure(AnthropicError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        AnthropicError error() {
            return error;
        }
    }
}
