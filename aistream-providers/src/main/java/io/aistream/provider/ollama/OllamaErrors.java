package io.aistream.provider.ollama;

import io.aistream.provider.ProviderHttpException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a non-2xx Ollama response: {@code {"error": "..."}} (type {@code provider_error}, as Ollama
 * gives none) or, from OpenAI-style proxies, {@code {"error": {"message", "type"}}}. A body that is
 * not such JSON is quoted, truncated. Retry hints: {@code retry-after-ms}, {@code Retry-After}
 * (seconds or HTTP date). The API key is masked wherever it would appear.
 */
final class OllamaErrors {
    private static final int MAX_BODY_CHARS = 500;

    private OllamaErrors() {
    }

    static ProviderHttpException toException(String provider, int status, HttpHeaders headers, byte[] body,
            Optional<String> apiKey) {
        String text = new String(body, StandardCharsets.UTF_8);
        String type = "provider_error";
        String message = null;
        JsonNode error = error(text);
        if (error != null && error.isString()) {
            message = error.stringValue();
        } else if (error != null && error.isObject()) {
            JsonNode m = error.get("message");
            message = m != null && m.isString() ? m.stringValue() : null;
            JsonNode t = error.get("type");
            if (t != null && t.isString() && !t.stringValue().isEmpty()) {
                type = t.stringValue();
            }
        }
        if (message == null) {
            message = text.isBlank() ? "(empty body)" : truncate(text);
        }
        String reported = message;
        String safe = apiKey.filter(k -> !k.isEmpty()).map(k -> reported.replace(k, "***")).orElse(reported);
        Optional<String> requestId = headers.firstValue("x-request-id").or(() -> headers.firstValue("request-id"));
        return new ProviderHttpException(provider, status, type, safe, requestId, retryAfter(headers));
    }

    private static JsonNode error(String text) {
        try {
            JsonNode root = OllamaLineReader.JSON.readTree(text);
            return root == null ? null : root.get("error");
        } catch (JacksonException e) {
            return null;
        }
    }

    /** {@code retry-after-ms}, else {@code Retry-After} as seconds or an HTTP date. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                double millis = Double.parseDouble(ms.get().strip());
                if (millis >= 0 && millis < 1e12) {
                    return Optional.of(Duration.ofMillis(Math.round(millis)));
                }
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        Optional<String> header = headers.firstValue("retry-after").map(String::strip);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get();
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
            return value.length() > 9 ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(ZonedDateTime.now(when.getZone()), when);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String truncate(String text) {
        String s = text.strip();
        return s.length() > MAX_BODY_CHARS ? s.substring(0, MAX_BODY_CHARS) + "…" : s;
    }
}
