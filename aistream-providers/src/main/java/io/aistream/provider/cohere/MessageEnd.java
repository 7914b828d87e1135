package io.aistream.provider.cohere;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.Usage;
import io.aistream.provider.support.Json;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * A Cohere {@code message-end} event read: finish reason, usage and, for failed generations, the error.
 *
 * @param finishReason the mapped finish reason (before the tool-call rule)
 * @param usage        {@code delta.usage.tokens} (what the model processed; {@code billed_units} only
 *                     when {@code tokens} is absent), if reported
 * @param error        the error when {@code finish_reason} is {@code ERROR} or {@code TIMEOUT}
 */
record MessageEnd(FinishReason finishReason, Optional<Usage> usage, Optional<ChunkError> error) {
    static final String PROVIDER_ERROR = "provider_error";

    static MessageEnd read(JsonNode event, String provider) {
        JsonNode delta = event.path("delta");
        String reason = Json.text(delta.path("finish_reason"), "");
        Optional<ChunkError> error = Optional.empty();
        if (reason.equals("ERROR") || reason.equals("TIMEOUT")) {
            String code = reason.equals("TIMEOUT") ? "timeout" : PROVIDER_ERROR;
            String message = Json.text(delta.path("error"), "Cohere ended the generation with finish_reason " + reason);
            error = Optional.of(new ChunkError(code, message, true, Optional.of(provider), OptionalInt.empty()));
        }
        return new MessageEnd(map(reason), usage(delta.path("usage")), error);
    }

    static FinishReason map(String reason) {
        return switch (reason) {
            case "COMPLETE", "STOP_SEQUENCE" -> FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "TOOL_CALL" -> FinishReason.TOOL_CALLS;
            case "ERROR", "TIMEOUT" -> FinishReason.ERROR;
            default -> FinishReason.OTHER;
        };
    }

    private static Optional<Usage> usage(JsonNode usage) {
        JsonNode counts = usage.path("tokens").isObject() ? usage.path("tokens") : usage.path("billed_units");
        JsonNode input = counts.path("input_tokens");
        JsonNode output = counts.path("output_tokens");
        if (!input.isNumber() && !output.isNumber()) {
            return Optional.empty();
        }
        return Optional.of(Usage.of(Math.max(0, input.asLong(0)), Math.max(0, output.asLong(0))));
    }
}
