package io.aistream.provider.anthropic;

import io.aistream.chunk.FinishReason;
import io.aistream.chunk.Usage;
import io.aistream.provider.support.Json;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What an Anthropic stream reported about its message as a whole: id, model, usage (field-wise
 * merge of {@code message_start} and the cumulative {@code message_delta} reports) and stop reason.
 *
 * <p>Not thread-safe; owned by one decoder.
 */
final class MessageState {
    private String messageId;
    private String model;
    private long inputTokens = -1;
    private long outputTokens = -1;
    private long cacheReadTokens = -1;
    private long cacheWriteTokens = -1;
    /** {@link #usage()} as last built; null once a report changed the counts. Read after every upstream read, so built once per change. */
    private Optional<Usage> usage;

    private String stopReason;

    /** What a {@code message_start} event meant. */
    enum Start {
        /** The first message_start of the stream. */
        FIRST,
        /** A repeat of the same message's start (seen behind some proxies): ignore it. */
        REPEATED,
        /** A different message began inside the open one: the stream is corrupt. */
        SPLICED
    }

    /** Records a {@code message_start}'s {@code message} object. */
    Start start(JsonNode message) {
        String id = Json.text(message.path("id"));
        if (messageId != null || model != null) {
            return id == null || id.equals(messageId) ? Start.REPEATED : Start.SPLICED;
        }
        messageId = id == null ? "" : id;
        model = Json.text(message.path("model"));
        mergeUsage(message.path("usage"));
        return Start.FIRST;
    }

    /** The id of the open message, "" when it had none. */
    String messageId() {
        return messageId;
    }

    /** Records a {@code message_delta}: its stop reason (if any) and cumulative usage. */
    void delta(JsonNode event) {
        String reason = Json.text(event.path("delta").path("stop_reason"));
        if (reason != null) {
            stopReason = reason;
        }
        mergeUsage(event.path("usage"));
    }

    private void mergeUsage(JsonNode usage) {
        this.usage = null;
        inputTokens = count(usage.path("input_tokens"), inputTokens);
        outputTokens = count(usage.path("output_tokens"), outputTokens);
        cacheReadTokens = count(usage.path("cache_read_input_tokens"), cacheReadTokens);
        cacheWriteTokens = count(usage.path("cache_creation_input_tokens"), cacheWriteTokens);
    }

    /** The reported count, or {@code previous} when this report does not carry a valid one. */
    private static long count(JsonNode node, long previous) {
        return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0
                ? node.longValue()
                : previous;
    }

    /** The model the stream named, if it named one. */
    Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /**
     * Usage as last reported; empty if the stream reported none. A field never reported is 0.
     * Anthropic's {@code input_tokens} excludes the cache, so the input is
     * {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}, with the two
     * cache counts broken out; the total is input + output.
     */
    Optional<Usage> usage() {
        if (usage == null) {
            usage = buildUsage();
        }
        return usage;
    }

    private Optional<Usage> buildUsage() {
        if (inputTokens < 0 && outputTokens < 0 && cacheReadTokens < 0 && cacheWriteTokens < 0) {
            return Optional.empty();
        }
        long read = Math.max(0, cacheReadTokens);
        long write = Math.max(0, cacheWriteTokens);
        return Optional.of(Usage.of(Math.max(0, inputTokens) + read + write, Math.max(0, outputTokens))
                .withCache(read, write));
    }

    /** The stop reason mapped per the table in {@link AnthropicProtocol}, then the tool-call rule applied. */
    FinishReason finishReason(int toolCalls) {
        FinishReason mapped = map(stopReason);
        return mapped == FinishReason.STOP && toolCalls > 0 ? FinishReason.TOOL_CALLS : mapped;
    }

    static FinishReason map(String stopReason) {
        if (stopReason == null) {
            return FinishReason.OTHER;
        }
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> FinishReason.STOP;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER; // pause_turn and reasons added later
        };
    }
}
