package io.aistream.provider.anthropic;

import io.aistream.chunk.ChunkError;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.support.ErrorResponses;
import io.aistream.provider.support.Json;
import io.aistream.provider.support.RetryAfter;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * Anthropic's error shape, {@code {"type":"error","error":{"type":"overloaded_error","message":"…"}}},
 * read from an in-stream {@code error} event or from a non-2xx response body. Stateless.
 */
final class AnthropicErrors {
    static final String PROVIDER_ERROR = "provider_error";

    private AnthropicErrors() {}

    /** The HTTP status Anthropic documents for an error type, if the type is a known one. */
    static OptionalInt statusOf(String type) {
        int status = switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "api_error" -> 500;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> -1;
        };
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** Whether an in-stream error of this type is worth retrying (overload, rate limit, server side). */
    static boolean retryable(String type) {
        return ProviderHttpException.isRetryable(statusOf(type).orElse(0), type);
    }

    /** The error chunk for an {@code error} event's JSON. */
    static ChunkError streamError(JsonNode event, String provider) {
        JsonNode error = event.path("error");
        String type = Json.text(error.path("type"), PROVIDER_ERROR);
        String message = Json.text(error.path("message"), "Anthropic reported an error of type " + type);
        return new ChunkError(type, message, retryable(type), Optional.of(provider), statusOf(type));
    }

    /** A non-2xx response as a typed exception. */
    static ProviderHttpException httpError(
            int status, HttpHeaders headers, byte[] body, ProviderConfig config, Clock clock) {
        JsonNode root = ErrorResponses.json(body);
        JsonNode error = root.path("error");
        String type = Json.text(error.path("type"), PROVIDER_ERROR);
        String message = ErrorResponses.message(Json.text(error.path("message")), body, config);
        Optional<String> requestId = ErrorResponses.firstHeader(headers, "request-id", "x-request-id")
                .or(() -> Optional.ofNullable(Json.text(root.path("request_id"))));
        return new ProviderHttpException(
                config.name(), status, type, message, requestId, RetryAfter.parse(headers, clock));
    }
}
