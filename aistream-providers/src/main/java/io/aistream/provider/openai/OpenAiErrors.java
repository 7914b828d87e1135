package io.aistream.provider.openai;

import io.aistream.json.Jackson;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.support.ErrorResponses;
import io.aistream.provider.support.Redaction;
import io.aistream.provider.support.RetryAfter;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an OpenAI-family non-2xx response into a {@link ProviderHttpException}: the error JSON in its
 * common shapes ({@code {"error":{"message","type","code"}}}, vLLM/Mistral's flat
 * {@code {"object":"error","message","type","code"}}, Ollama's {@code {"error":"..."}}, a validation
 * {@code detail}), the request id header, and {@code retry-after-ms} / {@code Retry-After} (seconds
 * or an HTTP date). A body that is not JSON still gives a clear, truncated message. The configured
 * API key is never echoed.
 *
 * <p>Shared by the OpenAI protocol packages; not API (the package is not exported). Stateless.
 */
public final class OpenAiErrors {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final List<String> REQUEST_ID_HEADERS = List.of("x-request-id", "request-id", "apim-request-id");

    private OpenAiErrors() {}

    /** The typed error for a non-2xx answer. */
    public static ProviderHttpException toException(
            int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        return toException(status, headers, body, config, Instant.now());
    }

    static ProviderHttpException toException(
            int status, HttpHeaders headers, byte[] body, ProviderConfig config, Instant now) {
        String text = new String(body, StandardCharsets.UTF_8);
        String type = "provider_error";
        String message = null;
        JsonNode root = parse(text);
        if (root != null && root.isObject()) {
            JsonNode error = root.path("error");
            JsonNode source = error.isObject() ? error : root;
            type = firstText(source.path("type"), source.path("code"), root.path("type"))
                    .orElse(type);
            message = firstText(source.path("message"), error.isString() ? error : root.path("detail"))
                    .orElseGet(() -> root.path("detail").isMissingNode()
                            ? null
                            : root.path("detail").toString());
        }
        if (message == null) {
            message = text.isBlank() ? "(empty body)" : text.strip();
        }
        message = Redaction.redact(ErrorResponses.truncate(message), config);
        return new ProviderHttpException(
                config.name(),
                status,
                type,
                message,
                requestId(headers),
                RetryAfter.parse(headers, Clock.fixed(now, ZoneOffset.UTC)));
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static Optional<String> firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n.isString() && !n.asString().isEmpty()) {
                return Optional.of(n.asString());
            }
            if (n.isNumber()) {
                return Optional.of(n.asString());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> requestId(HttpHeaders headers) {
        for (String name : REQUEST_ID_HEADERS) {
            Optional<String> value = headers.firstValue(name).filter(v -> !v.isBlank());
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }
}
