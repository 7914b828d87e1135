package io.aistream.provider.bedrock;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.provider.support.ToolCallIndex;
import io.aistream.provider.support.UnknownEvents;
import java.util.OptionalLong;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Turns the JSON payload of one ConverseStream event (the inner object; the event name comes from
 * the {@code :event-type} header) into chunks and finish/usage state.
 *
 * <ul>
 *   <li>{@code contentBlockStart} with {@code start.toolUse} → a tool call's first fragment (id, name).</li>
 *   <li>{@code contentBlockDelta}: {@code delta.text} → content, {@code delta.reasoningContent.text} →
 *       reasoning, {@code delta.reasoningContent.signature} → an empty reasoning chunk with
 *       {@code ReasoningState.signature("bedrock", sig)} (it ends the reasoning block),
 *       {@code delta.reasoningContent.redactedContent} (base64 in JSON) → an empty reasoning chunk with
 *       {@code ReasoningState.redacted("bedrock", base64)} (a block of its own),
 *       {@code delta.toolUse.input} → argument fragment of the block's call; {@code citation} ignored.
 *       Text and reasoning blocks have no {@code contentBlockStart}: deltas are keyed by
 *       {@code contentBlockIndex}.</li>
 *   <li>{@code messageStop} → stop reason; {@code metadata} → usage (it arrives after {@code messageStop};
 *       the cache counts are added to the input, see {@link FinishState}).</li>
 *   <li>{@code messageStart}, {@code contentBlockStop} and unknown fields (including the {@code p}
 *       padding) are ignored; an unknown event type is skipped and reported ({@link UnknownEvents}).</li>
 * </ul>
 * Not thread-safe.
 */
final class ConverseEventHandler {
    private final ToolCallIndex toolCalls = new ToolCallIndex();
    private final FinishState finish = new FinishState();
    private final UnknownEvents unknown;

    ConverseEventHandler(UnknownEvents unknown) {
        this.unknown = unknown;
    }

    /** Where skipped frames and events of unknown types are reported. */
    UnknownEvents unknown() {
        return unknown;
    }

    FinishState finish() {
        return finish;
    }

    int toolCallCount() {
        return toolCalls.count();
    }

    void handle(String eventType, JsonNode event, Consumer<? super StreamChunk> out) {
        switch (eventType) {
            case "contentBlockStart" -> blockStart(event, out);
            case "contentBlockDelta" -> blockDelta(event, out);
            case "messageStop" -> finish.messageStop(stringOr(event.path("stopReason"), ""));
            case "metadata" -> metadata(event.path("usage"));
            case "messageStart", "contentBlockStop" -> {
                // nothing to emit
            }
            default -> unknown.skipped(eventType);
        }
    }

    private void blockStart(JsonNode event, Consumer<? super StreamChunk> out) {
        JsonNode toolUse = event.path("start").path("toolUse");
        if (!toolUse.isObject()) {
            return;
        }
        int call = toolCalls.allocate(event.path("contentBlockIndex").asInt(0));
        out.accept(ToolCallChunk.of(ToolCallDelta.start(
                call, stringOr(toolUse.path("toolUseId"), ""), stringOr(toolUse.path("name"), ""), "")));
    }

    private void blockDelta(JsonNode event, Consumer<? super StreamChunk> out) {
        JsonNode delta = event.path("delta");
        String text = stringOr(delta.path("text"), "");
        if (!text.isEmpty()) {
            out.accept(ContentChunk.of(text));
        }
        JsonNode reasoningContent = delta.path("reasoningContent");
        String reasoning = stringOr(reasoningContent.path("text"), "");
        if (!reasoning.isEmpty()) {
            out.accept(ReasoningChunk.of(reasoning));
        }
        String signature = stringOr(reasoningContent.path("signature"), "");
        if (!signature.isEmpty()) {
            // ends the reasoning block: the next request must send the block back with it
            out.accept(ReasoningChunk.of("", ReasoningState.signature(ReasoningState.BEDROCK, signature)));
        }
        String redacted = stringOr(reasoningContent.path("redactedContent"), "");
        if (!redacted.isEmpty()) {
            out.accept(ReasoningChunk.of("", ReasoningState.redacted(ReasoningState.BEDROCK, redacted)));
        }
        JsonNode toolUse = delta.path("toolUse");
        if (toolUse.isObject()) {
            toolInput(event.path("contentBlockIndex").asInt(0), stringOr(toolUse.path("input"), ""), out);
        }
    }

    private void toolInput(int block, String input, Consumer<? super StreamChunk> out) {
        int call = toolCalls.find(block);
        if (call < 0) {
            // a tool-use delta without its contentBlockStart: keep the arguments under a new call
            out.accept(ToolCallChunk.of(ToolCallDelta.arguments(toolCalls.allocate(block), input)));
        } else if (!input.isEmpty()) {
            out.accept(ToolCallChunk.of(ToolCallDelta.arguments(call, input)));
        }
    }

    private void metadata(JsonNode usage) {
        finish.metadata(
                count(usage.path("inputTokens")), count(usage.path("outputTokens")), count(usage.path("totalTokens")));
        finish.cache(count(usage.path("cacheReadInputTokens")), count(usage.path("cacheWriteInputTokens")));
    }

    private static OptionalLong count(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0
                ? OptionalLong.of(node.longValue())
                : OptionalLong.empty();
    }

    private static String stringOr(JsonNode node, String fallback) {
        return node.isString() ? node.stringValue() : fallback;
    }
}
