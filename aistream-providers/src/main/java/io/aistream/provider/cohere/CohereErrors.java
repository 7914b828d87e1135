package io.aistream.provider.cohere;

import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.support.ErrorResponses;
import io.aistream.provider.support.Json;
import io.aistream.provider.support.RetryAfter;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Cohere's error body, {@code {"message": "…"}} (sometimes with an {@code id}), read into a
 * {@link ProviderHttpException}. Cohere gives no error type, so the type is {@code provider_error}.
 * Stateless.
 */
final class CohereErrors {
    static final String PROVIDER_ERROR = "provider_error";

    private CohereErrors() {}

    static ProviderHttpException httpError(
            int status, HttpHeaders headers, byte[] body, ProviderConfig config, Clock clock) {
        JsonNode root = ErrorResponses.json(body);
        String message = Json.text(root.path("message"));
        if (message == null) {
            message = Json.text(root.path("error"));
        }
        message = ErrorResponses.message(message, body, config);
        Optional<String> requestId =
                ErrorResponses.firstHeader(headers, "x-request-id", "request-id", "x-debug-trace-id");
        return new ProviderHttpException(
                config.name(), status, PROVIDER_ERROR, message, requestId, RetryAfter.parse(headers, clock));
    }
}
