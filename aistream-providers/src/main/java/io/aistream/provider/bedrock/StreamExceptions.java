package io.aistream.provider.bedrock;

import io.aistream.chunk.ChunkError;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Errors reported inside a ConverseStream: exception frames ({@code :message-type exception},
 * code = the {@code :exception-type} header, message = the payload's {@code message}) and
 * generic event-stream error frames ({@code :message-type error} with {@code :error-code} /
 * {@code :error-message} headers).
 *
 * <p>Retryable: {@code throttlingException}, {@code internalServerException},
 * {@code serviceUnavailableException}, {@code modelStreamErrorException},
 * {@code modelNotReadyException}, {@code modelTimeoutException}. The status is the HTTP status
 * Bedrock documents for the exception, where it documents one.
 */
final class StreamExceptions {
    static final String PROVIDER_ERROR = "provider_error";
    private static final int MAX_RAW_MESSAGE = 500;

    private static final Set<String> RETRYABLE = Set.of(
            "throttlingException",
            "internalServerException",
            "serviceUnavailableException",
            "modelStreamErrorException",
            "modelNotReadyException",
            "modelTimeoutException");
    private static final Map<String, Integer> STATUS = Map.of(
            "throttlingException", 429,
            "internalServerException", 500,
            "serviceUnavailableException", 503,
            "validationException", 400,
            "modelStreamErrorException", 424,
            "modelTimeoutException", 408,
            "modelNotReadyException", 429,
            "accessDeniedException", 403,
            "resourceNotFoundException", 404);

    private StreamExceptions() {}

    /** The error of an exception frame of type {@code type} (null: none given) with JSON {@code payload}. */
    static ChunkError exception(String type, byte[] payload, JsonMapper json, String provider) {
        String code = type == null || type.isEmpty() ? PROVIDER_ERROR : type;
        return error(code, messageOf(payload, json), provider);
    }

    /** The error of a generic {@code :message-type error} frame. */
    static ChunkError errorFrame(String code, String message, String provider) {
        return error(
                code == null || code.isEmpty() ? PROVIDER_ERROR : code,
                message == null || message.isEmpty() ? "(no message)" : message,
                provider);
    }

    private static ChunkError error(String code, String message, String provider) {
        Integer status = STATUS.get(code);
        return new ChunkError(
                code,
                message,
                RETRYABLE.contains(code) || (status != null && status >= 500),
                Optional.of(provider),
                status == null ? OptionalInt.empty() : OptionalInt.of(status));
    }

    private static String messageOf(byte[] payload, JsonMapper json) {
        try {
            JsonNode body = json.readTree(payload);
            for (String field : new String[] {"message", "Message"}) {
                if (body.path(field).isString()) {
                    return body.path(field).stringValue();
                }
            }
        } catch (JacksonException e) {
            // not JSON: fall back to the raw text
        }
        String raw = new String(payload, StandardCharsets.UTF_8).strip();
        if (raw.isEmpty()) {
            return "(no message)";
        }
        return raw.length() > MAX_RAW_MESSAGE ? raw.substring(0, MAX_RAW_MESSAGE) + "…" : raw;
    }
}
