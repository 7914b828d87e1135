package io.aistream.springai;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * Maps Spring AI responses to chunks and remembers what the final {@code done} needs: the last finish
 * reason and usage, the model, the tool calls already sent. Uses only API that Spring AI 1.1 and 2.0
 * share. Not thread-safe: one per stream, called by the subscriber's (serialized) signals.
 */
final class ChatResponseMapper {
    /** OpenAI-style reasoning text on the assistant message (DeepSeek, OpenAI-compatible servers). */
    static final String REASONING_CONTENT = "reasoningContent";
    /** Anthropic's thinking blocks: a generation whose text is the thinking, marked with this flag. */
    static final String THINKING = "thinking";

    private final Set<String> sentToolCalls = new HashSet<>();
    private int toolCalls;
    private FinishReason finishReason;
    private Usage usage;
    private String model;

    /** The chunks {@code response} carries, in order: reasoning, text, tool calls per generation. */
    List<StreamChunk> map(ChatResponse response) {
        List<StreamChunk> out = new ArrayList<>(2);
        ChatResponseMetadata metadata = response.getMetadata();
        if (metadata != null) {
            usage(metadata.getUsage());
            if (metadata.getModel() != null && !metadata.getModel().isEmpty()) {
                model = metadata.getModel();
            }
        }
        List<Generation> generations = response.getResults();
        if (generations == null) {
            return out;
        }
        for (Generation generation : generations) {
            if (generation == null) {
                continue;
            }
            AssistantMessage message = generation.getOutput();
            if (message != null) {
                message(message, out);
            }
            ChatGenerationMetadata generationMetadata = generation.getMetadata();
            if (generationMetadata != null) {
                finishReason(generationMetadata.getFinishReason());
            }
        }
        return out;
    }

    /** The final chunk: the last finish reason ({@code stop} if none), the last usage, the model. */
    DoneChunk done() {
        FinishReason reason = finishReason != null ? finishReason : FinishReason.STOP;
        if (reason == FinishReason.STOP && toolCalls > 0) {
            reason = FinishReason.TOOL_CALLS;
        }
        return DoneChunk.of(reason)
                .withMetadata(Optional.ofNullable(usage), Optional.empty(), Optional.ofNullable(model));
    }

    private void message(AssistantMessage message, List<StreamChunk> out) {
        Map<String, Object> properties = message.getMetadata();
        String text = message.getText();
        boolean thinking = properties != null && Boolean.TRUE.equals(properties.get(THINKING));
        if (properties != null
                && properties.get(REASONING_CONTENT) instanceof String reasoning
                && !reasoning.isEmpty()) {
            out.add(ReasoningChunk.of(reasoning));
        }
        if (text != null && !text.isEmpty()) {
            out.add(thinking ? ReasoningChunk.of(text) : ContentChunk.of(text));
        }
        List<AssistantMessage.ToolCall> calls = message.getToolCalls();
        if (calls == null) {
            return;
        }
        for (AssistantMessage.ToolCall call : calls) {
            String id = call.id() == null || call.id().isEmpty() ? null : call.id();
            // without an id, a call is known by its name and arguments
            String key = id != null ? "id:" + id : "call:" + call.name() + ":" + call.arguments();
            if (!sentToolCalls.add(key)) {
                continue;
            }
            out.add(ToolCallChunk.of(new ToolCallDelta(
                    toolCalls++,
                    Optional.ofNullable(id),
                    Optional.ofNullable(call.name()),
                    call.arguments() == null ? "" : call.arguments())));
        }
    }

    private void usage(org.springframework.ai.chat.metadata.Usage reported) {
        if (reported == null) {
            return;
        }
        long input = tokens(reported.getPromptTokens());
        long output = tokens(reported.getCompletionTokens());
        long total = tokens(reported.getTotalTokens());
        if (input > 0 || output > 0 || total > 0) { // Spring AI reports "no usage" as zeros
            usage = new Usage(input, output, total > 0 ? total : input + output);
        }
    }

    private static long tokens(Integer count) {
        return count == null ? 0 : Math.max(0, count);
    }

    private void finishReason(String reported) {
        FinishReason mapped = finishReasonOf(reported);
        if (mapped != null) {
            finishReason = mapped;
        }
    }

    /**
     * Spring AI passes each provider's own finish reason through (OpenAI's enum names such as
     * {@code STOP}, Anthropic's {@code end_turn}, Gemini's {@code MAX_TOKENS}, ...); null for none.
     */
    static FinishReason finishReasonOf(String reported) {
        if (reported == null || reported.isBlank()) {
            return null;
        }
        return switch (reported.trim().toLowerCase(Locale.ROOT)) {
            case "stop", "end_turn", "stop_sequence", "complete", "completed", "eos", "finish" -> FinishReason.STOP;
            case "length", "max_tokens", "max_output_tokens", "model_length" -> FinishReason.LENGTH;
            case "tool_calls", "tool_call", "tool_use", "function_call", "tool_execution" -> FinishReason.TOOL_CALLS;
            case "content_filter", "content_filtered", "safety", "refusal", "blocklist", "prohibited_content", "spii" ->
                FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
