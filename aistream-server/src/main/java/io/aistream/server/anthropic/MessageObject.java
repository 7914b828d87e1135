package io.aistream.server.anthropic;

import io.aistream.chunk.AnswerPart;
import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.ToolCall;
import io.aistream.chunk.Usage;
import io.aistream.server.http.Responses;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code message} object of a non-streaming answer, folded from the whole stream: content
 * blocks in the order the answer produced them ({@link CompletionResponse#parts()}): {@code thinking}
 * (its text and Claude signature, {@code ""} without one), {@code redacted_thinking}, {@code text},
 * {@code tool_use} (one per call, {@code input} the parsed arguments), then any refusal text (added
 * to a last text block); {@code stop_reason} per {@link MessagesEvents#stopReason}; usage per
 * {@link #usage(Optional, long)}. Stateless.
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
        ObjectNode lastText = null;
        for (AnswerPart part : result.parts()) {
            switch (part) {
                case AnswerPart.Reasoning r -> {
                    thinking(r, content);
                    lastText = null;
                }
                case AnswerPart.Text t -> {
                    if (t.text().isEmpty()) {
                        continue;
                    }
                    if (lastText
                            != null) { // runs split by a Gemini signature: one block, as nothing separates them here
                        lastText.put("text", lastText.path("text").asString() + t.text());
                    } else {
                        lastText = content.addObject();
                        lastText.put("type", "text");
                        lastText.put("text", t.text());
                    }
                }
                case ToolCall call -> {
                    ObjectNode block = content.addObject();
                    block.put("type", "tool_use");
                    block.put(
                            "id",
                            call.callId().isEmpty() ? MessagesEvents.toolUseId(streamId, call.index()) : call.callId());
                    block.put("name", call.name());
                    block.set(
                            "input",
                            call.arguments().isObject() ? call.arguments() : Responses.JSON.createObjectNode());
                    lastText = null;
                }
            }
        }
        if (result.refusal().isPresent() && !result.refusal().get().isEmpty()) {
            if (lastText != null) {
                lastText.put(
                        "text",
                        lastText.path("text").asString() + result.refusal().get());
            } else {
                ObjectNode block = content.addObject();
                block.put("type", "text");
                block.put("text", result.refusal().get());
            }
        }
        root.put("stop_reason", MessagesEvents.stopReason(result.finishReason().orElse(FinishReason.STOP)));
        root.putNull("stop_sequence");
        root.set("usage", usage(result.usage(), inputEstimate));
        return root;
    }

    /**
     * A reasoning part as Anthropic's block: Claude redacted data → {@code redacted_thinking}; else a
     * {@code thinking} block whose signature is the Claude one (another provider's, or none: {@code ""},
     * and a block with neither text nor signature is left out).
     */
    private static void thinking(AnswerPart.Reasoning r, ArrayNode content) {
        Optional<ReasoningState> claude = r.state().filter(s -> s.from(ReasoningState.CLAUDE_SOURCES));
        if (claude.isPresent() && claude.get().redacted().isPresent()) {
            ObjectNode block = content.addObject();
            block.put("type", "redacted_thinking");
            block.put("data", claude.get().redacted().get());
            return;
        }
        String signature = claude.flatMap(ReasoningState::signature).orElse("");
        if (r.text().isEmpty() && signature.isEmpty()) {
            return;
        }
        ObjectNode block = content.addObject();
        block.put("type", "thinking");
        block.put("thinking", r.text());
        block.put("signature", signature);
    }

    /**
     * The usage in Anthropic's terms: {@code input_tokens} without the cache, beside
     * {@code cache_creation_input_tokens} and {@code cache_read_input_tokens} (Anthropic's clients add
     * the three), and {@code output_tokens}. Usage the provider did not report is given as the
     * request's input estimate ({@link TokenEstimate}) and 0 output tokens, with 0 cache tokens:
     * Anthropic's SDKs require the numbers.
     */
    static ObjectNode usage(Optional<Usage> reported, long inputEstimate) {
        Usage u = reported.orElse(Usage.of(inputEstimate, 0));
        ObjectNode usage = Responses.JSON.createObjectNode();
        usage.put("input_tokens", u.uncachedInputTokens());
        usage.put("cache_creation_input_tokens", u.cacheWriteTokens());
        usage.put("cache_read_input_tokens", u.cacheReadTokens());
        usage.put("output_tokens", u.outputTokens());
        return usage;
    }

    /** A {@code usage} object of {@code message_start}: the estimate, no cache figures known yet. */
    static ObjectNode usage(long inputTokens, long outputTokens) {
        return usage(Optional.of(Usage.of(inputTokens, outputTokens)), inputTokens);
    }
}
