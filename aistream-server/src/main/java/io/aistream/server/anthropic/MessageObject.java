package io.aistream.server.anthropic;

import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ToolCall;
import io.aistream.chunk.Usage;
import io.aistream.server.http.Responses;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code message} object of a non-streaming answer, folded from the whole stream: content
 * blocks in the order {@code thinking} (the reasoning, {@code signature ""}: see
 * {@link MessagesEvents}), {@code text} (the answer, then any refusal text), {@code tool_use} (one per
 * call, {@code input} the parsed arguments); {@code stop_reason} per
 * {@link MessagesEvents#stopReason}; usage as the provider reported it (without a report: the
 * request's estimate and 0). Stateless.
 */
final class MessageObject {
    private MessageObject() {}

    /** The message for a stream that ended well (neither error nor aborted). */
    static ObjectNode of(CompletionResponse result, String streamId, String model, long inputEstimate) {
        ObjectNode root = Responses.JSON.createObjectNode();
        root.put("id", MessagesEvents.messageId(streamId));
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", model);
        ArrayNode content = root.putArray("content");
        if (!result.reasoning().isEmpty()) {
            ObjectNode thinking = content.addObject();
            thinking.put("type", "thinking");
            thinking.put("thinking", result.reasoning());
            thinking.put("signature", "");
        }
        String text = result.content() + result.refusal().orElse("");
        if (!text.isEmpty()) {
            ObjectNode block = content.addObject();
            block.put("type", "text");
            block.put("text", text);
        }
        for (ToolCall call : result.toolCalls()) {
            ObjectNode block = content.addObject();
            block.put("type", "tool_use");
            block.put("id", call.callId().isEmpty() ? MessagesEvents.toolUseId(streamId, call.index()) : call.callId());
            block.put("name", call.name());
            block.set("input", call.arguments().isObject() ? call.arguments() : Responses.JSON.createObjectNode());
        }
        root.put("stop_reason", MessagesEvents.stopReason(result.finishReason().orElse(FinishReason.STOP)));
        root.putNull("stop_sequence");
        Usage u = result.usage().orElse(Usage.of(inputEstimate, 0));
        root.set("usage", usage(u.inputTokens(), u.outputTokens()));
        return root;
    }

    /**
     * A {@code usage} object. The cache counters are 0: the chunk model has no cache figures, and
     * clients add them to the input tokens, so a number keeps their arithmetic whole.
     */
    static ObjectNode usage(long inputTokens, long outputTokens) {
        ObjectNode usage = Responses.JSON.createObjectNode();
        usage.put("input_tokens", inputTokens);
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", 0);
        usage.put("output_tokens", outputTokens);
        return usage;
    }
}
