package io.aistream.provider.openai;

import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.json.JsonFactory;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.support.ErrorResponses;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build()).build();
    private static final List<String> REQUEST_ID_HEADERS = List.of("x-request-id", "request-id", "apim-request-id");

    private OpenAiErrors() {
    }

    /** The typed error for a non-2xx answer. */
    public static ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        return toException(status, headers, body, config, Instant.now());
    }

    static ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config,
            Instant now) {
        String text = new String(body, StandardCharsets.UTF_8);
        String type = "provider_error";
        String message = null;
        JsonNode root = parse(text);
        if (root != null && root.isObject()) {
            JsonNode error = root.path("error");
            JsonNode source = error.isObject() ? error : root;
            type = firstText(source.path("type"), source.path("code"), root.path("type")).orElse(type);
            message = firstText(source.path("message"), error.isString() ? error : root.path("detail"))
                    .orElseGet(() -> root.path("detail").isMissingNode() ? null : root.path("detail").toString());
        }
        if (message == null) {
            message = text.isBlank() ? "(empty body)" : text.strip();
        }
        message = redact(ErrorResponses.truncate(message), config);
        return new ProviderHttpException(config.name(), status, type, message, requestId(headers),
                retryAfter(headers, now));
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

    private static String redact(String message, ProviderConfig config) {
        String key = config.apiKey().orElse("");
        return key.length() >= 8 && message.contains(key) ? message.replace(key, "[redacted]") : message;
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

    /** {@code retry-after-ms} (OpenAI SDKs' convention) wins over {@code Retry-After}. */
    static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        Optional<Duration> ms = headers.firstValue("retry-after-ms").flatMap(v -> seconds(v, 1));
        if (ms.isPresent()) {
            return ms;
        }
        return headers.firstValue("retry-after").flatMap(v -> seconds(v, 1000).or(() -> httpDate(v, now)));
    }

    /** A non-negative decimal number of units of {@code unitMillis} ms. */
    private static Optional<Duration> seconds(String value, long unitMillis) {
        try {
            double amount = Double.parseDouble(value.strip());
            if (amount >= 0 && amount < 1e9) {
                return Optional.of(Duration.ofMillis(Math.round(amount * unitMillis)));
            }
        } catch (NumberFormatException e) {
            // not a number: maybe a date
        }
        return Optional.empty();
    }

    private static Optional<Duration> httpDate(String value, Instant now) {
        try {
            Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
