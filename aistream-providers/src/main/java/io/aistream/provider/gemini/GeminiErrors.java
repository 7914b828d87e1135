package io.aistream.provider.gemini;

import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.support.ErrorResponses;
import io.aistream.provider.support.RetryAfter;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a non-2xx Gemini response: the Google error JSON {@code {"error":{code,message,status,details}}}
 * (also when wrapped in an array, as the non-SSE endpoint sends it). The error type is
 * {@code status} (else {@code code}, else {@code provider_error}); the retry hint comes from
 * {@code Retry-After} / {@code retry-after-ms}, else from a {@code google.rpc.RetryInfo} detail's
 * {@code retryDelay}. A body that is not such JSON is quoted, truncated. The API key is masked
 * wherever it would appear.
 */
final class GeminiErrors {
    private GeminiErrors() {}

    static ProviderHttpException toException(
            String provider, int status, HttpHeaders headers, byte[] body, Optional<String> apiKey) {
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode error = errorObject(text);
        String type = "provider_error";
        String message;
        Optional<Duration> retryAfter = RetryAfter.parse(headers);
        if (error != null) {
            JsonNode statusNode = error.get("status");
            JsonNode code = error.get("code");
            if (statusNode != null
                    && statusNode.isString()
                    && !statusNode.stringValue().isEmpty()) {
                type = statusNode.stringValue();
            } else if (code != null && (code.isNumber() || code.isString())) {
                type = code.asString();
            }
            JsonNode messageNode = error.get("message");
            message = messageNode != null && messageNode.isString()
                    ? messageNode.stringValue()
                    : ErrorResponses.truncate(text.strip());
            if (retryAfter.isEmpty()) {
                retryAfter = retryInfo(error.get("details"));
            }
        } else {
            message = text.isBlank() ? "(empty body)" : ErrorResponses.truncate(text.strip());
        }
        String safe = mask(message, apiKey);
        Optional<String> requestId = headers.firstValue("x-request-id").or(() -> headers.firstValue("request-id"));
        return new ProviderHttpException(provider, status, type, safe, requestId, retryAfter);
    }

    private static JsonNode errorObject(String text) {
        JsonNode root;
        try {
            root = GeminiResponseReader.JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
        if (root != null && root.isArray() && !root.isEmpty()) {
            root = root.get(0);
        }
        JsonNode error = root == null ? null : root.get("error");
        return error != null && error.isObject() ? error : null;
    }

    private static Optional<Duration> retryInfo(JsonNode details) {
        if (details == null || !details.isArray()) {
            return Optional.empty();
        }
        for (JsonNode detail : details.values()) {
            JsonNode delay = detail.get("retryDelay");
            if (delay != null && delay.isString()) {
                Optional<Duration> parsed = protobufDuration(delay.stringValue());
                if (parsed.isPresent()) {
                    return parsed;
                }
            }
        }
        return Optional.empty();
    }

    /** A protobuf JSON duration such as {@code "37s"} or {@code "1.5s"}. */
    static Optional<Duration> protobufDuration(String value) {
        if (!value.endsWith("s")) {
            return Optional.empty();
        }
        try {
            double seconds = Double.parseDouble(value.substring(0, value.length() - 1));
            return seconds >= 0 && seconds < 1e9
                    ? Optional.of(Duration.ofMillis(Math.round(seconds * 1000)))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String mask(String message, Optional<String> apiKey) {
        return apiKey.filter(k -> !k.isEmpty())
                .map(k -> message.replace(k, "***"))
                .orElse(message);
    }
}
