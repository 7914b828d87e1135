package io.aistream.provider.bedrock;

import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.support.RetryAfter;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a non-2xx Bedrock response into a {@link ProviderHttpException}.
 *
 * <ul>
 *   <li>Type: the {@code x-amzn-errortype} header up to its first {@code ':'} (e.g.
 *       {@code ThrottlingException}), else the body's {@code __type} after its last {@code '#'},
 *       else {@code provider_error}.</li>
 *   <li>Message: the body's {@code message} (or {@code Message}); a non-JSON body gives its text,
 *       truncated; an empty one {@code HTTP <status>}.</li>
 *   <li>Request id: {@code x-amzn-requestid} (or {@code x-amzn-request-id}, {@code x-amz-request-id}).</li>
 *   <li>Retry hint: {@code retry-after-ms}, else {@code Retry-After} in seconds or as an HTTP date.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class ErrorResponses {
    private static final int MAX_BODY_TEXT = 500;

    private ErrorResponses() {}

    static ProviderHttpException toException(
            String provider, int status, HttpHeaders headers, byte[] body, JsonMapper json, Clock clock) {
        JsonNode parsed = parse(body, json);
        String type = headers.firstValue("x-amzn-errortype")
                .map(v -> v.contains(":") ? v.substring(0, v.indexOf(':')) : v)
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .or(() -> text(parsed, "__type")
                        .map(v -> v.substring(v.lastIndexOf('#') + 1))
                        .filter(v -> !v.isEmpty()))
                .orElse(StreamExceptions.PROVIDER_ERROR);
        String message =
                text(parsed, "message").or(() -> text(parsed, "Message")).orElseGet(() -> bodyText(status, body));
        Optional<String> requestId = headers.firstValue("x-amzn-requestid")
                .or(() -> headers.firstValue("x-amzn-request-id"))
                .or(() -> headers.firstValue("x-amz-request-id"));
        return new ProviderHttpException(provider, status, type, message, requestId, RetryAfter.parse(headers, clock));
    }

    private static JsonNode parse(byte[] body, JsonMapper json) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            return json.missingNode();
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.stringValue().isBlank() ? Optional.of(value.stringValue()) : Optional.empty();
    }

    private static String bodyText(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "HTTP " + status;
        }
        return text.length() > MAX_BODY_TEXT ? text.substring(0, MAX_BODY_TEXT) + "…" : text;
    }
}
