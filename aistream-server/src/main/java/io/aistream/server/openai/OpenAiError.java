package io.aistream.server.openai;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.FinishReason;
import io.aistream.provider.ChatProvider;
import io.aistream.server.http.ApiError;
import io.aistream.server.http.ErrorWriter;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.Responses;
import io.aistream.server.streams.ModelTargets;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * An error of the OpenAI-compatible endpoint, in OpenAI's shape:
 * {@code {"error":{"message":"…","type":"…","param":"…"|null,"code":"…"|null}}}.
 *
 * <p>Types follow OpenAI: {@code invalid_request_error} for 400, 401 (code {@code invalid_api_key}),
 * 404 (code {@code model_not_found}) and 413; {@code rate_limit_error} for 429 (code
 * {@code rate_limit_exceeded}); {@code server_error} for 5xx.
 *
 * @param status  the HTTP status
 * @param message for people; never a stack trace, never a secret
 * @param type    OpenAI's error type
 * @param param   the offending request parameter, e.g. {@code messages[0].content}
 * @param code    a machine-readable code, or empty for {@code null}
 * @param headers extra response headers (e.g. {@code Retry-After})
 */
record OpenAiError(
        int status,
        String message,
        String type,
        Optional<String> param,
        Optional<String> code,
        Map<String, String> headers) {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String RATE_LIMIT = "rate_limit_error";
    static final String SERVER_ERROR = "server_error";

    /**
     * The OpenAI routes' error writer: {@link ApiError}s of shared code through {@link #from}, this
     * type's own {@link Failure}s as they are.
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

    OpenAiError {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(code, "code");
        headers = Map.copyOf(headers);
    }

    /** A 400 about one parameter. */
    static OpenAiError invalid(String param, String code, String message) {
        return new OpenAiError(
                400, message, INVALID_REQUEST, Optional.ofNullable(param), Optional.ofNullable(code), Map.of());
    }

    static OpenAiError of(int status, String type, String code, String message) {
        return new OpenAiError(status, message, type, Optional.empty(), Optional.ofNullable(code), Map.of());
    }

    OpenAiError withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new OpenAiError(status, message, type, param, code, all);
    }

    /** The OpenAI type for an HTTP status. */
    static String typeFor(int status) {
        if (status == 429) {
            return RATE_LIMIT;
        }
        return status >= 500 ? SERVER_ERROR : INVALID_REQUEST;
    }

    /**
     * The same error as the gateway's native {@link ApiError} (raised by shared code: body limits,
     * stream limits, provider failures), in OpenAI's shape. The native field {@code provider} is the
     * OpenAI parameter {@code model}.
     */
    static OpenAiError from(ApiError e) {
        String code = switch (e.status()) {
            // a request the client framed wrongly keeps its own code: it is not about a value
            case 400 -> e.code().equals("bad_http_request") ? e.code() : "invalid_value";
            case 401 -> "invalid_api_key";
            case 429 -> "rate_limit_exceeded";
            default -> e.code();
        };
        Optional<String> param = e.field().map(f -> f.equals("provider") ? "model" : f);
        return new OpenAiError(e.status(), e.message(), typeFor(e.status()), param, Optional.of(code), e.headers());
    }

    /**
     * What a stream that ended with {@code done(error)} (or {@code aborted}) answers: for a
     * non-streaming request the HTTP status, for a streaming one the error event's type and code.
     * Upstream rate limits stay 429, overload is 503, timeouts 504, a request the provider rejected
     * 400; anything else the upstream did wrong is 502 (the gateway's own upstream credentials
     * failing included: that is not the caller's fault).
     */
    static OpenAiError fromStream(Optional<ChunkError> error, FinishReason reason) {
        if (reason == FinishReason.ABORTED) {
            return of(503, SERVER_ERROR, "stream_aborted", "the stream was aborted before it finished");
        }
        if (error.isEmpty()) {
            return of(502, SERVER_ERROR, "upstream_error", "the stream failed");
        }
        ChunkError ce = error.get();
        int status = switch (ce.code()) {
            case "rate_limited" -> 429;
            case "upstream_overloaded" -> 503;
            case "first_chunk_timeout", "idle_timeout", "total_timeout" -> 504;
            case "invalid_request" -> 400;
            default -> 502;
        };
        String message = ce.provider().map(p -> p + ": ").orElse("") + ce.message();
        return of(status, typeFor(status), ce.code(), message);
    }

    ObjectNode body() {
        ObjectNode root = Responses.JSON.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("message", message);
        e.put("type", type);
        if (param.isPresent()) {
            e.put("param", param.get());
        } else {
            e.putNull("param");
        }
        if (code.isPresent()) {
            e.put("code", code.get());
        } else {
            e.putNull("code");
        }
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

    /** The unchecked carrier of an {@link OpenAiError}; control flow, so without a stack trace. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient OpenAiError error;

        Failure(OpenAiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        OpenAiError error() {
            return error;
        }
    }

    /**
     * {@code model} as the OpenAI endpoints read it ({@link ModelTargets}).
     *
     * @throws Failure 404 {@code model_not_found} (param {@code model}) listing what exists
     */
    static ModelTargets.Target resolveModel(Map<String, ChatProvider> providers, String model) {
        try {
            return ModelTargets.resolve(providers, model);
        } catch (ModelTargets.UnknownModelException e) {
            throw new OpenAiError(
                            404,
                            e.describe(),
                            INVALID_REQUEST,
                            Optional.of("model"),
                            Optional.of("model_not_found"),
                            Map.of())
                    .failure();
        }
    }
}
