package io.aistream.provider.ollama;

import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.support.ErrorResponses;
import io.aistream.provider.support.RetryAfter;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
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
    private OllamaErrors() {}

    static ProviderHttpException toException(
            String provider, int status, HttpHeaders headers, byte[] body, Optional<String> apiKey) {
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
            message = text.isBlank() ? "(empty body)" : ErrorResponses.truncate(text.strip());
        }
        String reported = message;
        String safe = apiKey.filter(k -> !k.isEmpty())
                .map(k -> reported.replace(k, "***"))
                .orElse(reported);
        Optional<String> requestId = headers.firstValue("x-request-id").or(() -> headers.firstValue("request-id"));
        return new ProviderHttpException(provider, status, type, safe, requestId, RetryAfter.parse(headers));
    }

    private static JsonNode error(String text) {
        try {
            JsonNode root = OllamaLineReader.JSON.readTree(text);
            return root == null ? null : root.get("error");
        } catch (JacksonException e) {
            return null;
        }
    }
}
