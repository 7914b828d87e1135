package io.aistream.provider;

import io.aistream.chunk.Accumulator;
import io.aistream.chunk.AnswerPart;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.InvalidToolArgumentsException;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCall;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.UnknownChunk;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stream folded into the provider-neutral summary the provider fixtures' {@code expected.json}
 * files use: {@code text}, {@code reasoning}, {@code refusal} (only when present), {@code toolCalls}
 * ({@code id}, {@code name}, {@code arguments}; arguments that are not valid JSON give
 * {@code arguments: null} and {@code rawArguments}), {@code finishReason}, {@code usage}
 * ({@code inputTokens}, {@code outputTokens}, and {@code cacheReadTokens}, {@code cacheWriteTokens},
 * {@code reasoningTokens} when reported; or null), {@code error} ({@code type}, {@code message} or
 * null) and, only when some chunk carried reasoning state, {@code parts}: the ordered answer parts
 * with their state, as {@link Accumulator} groups them.
 *
 * <p>Unlike {@link io.aistream.chunk.Accumulator} it never throws on broken tool arguments: it is
 * for inspecting what a stream carried ({@code aistream normalize --accumulate}, tests).
 */
public final class ResponseSummary {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResponseSummary() {}

    /** The summary of {@code chunks}, in stream order. */
    public static ObjectNode of(List<? extends StreamChunk> chunks) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        Map<Integer, String[]> calls = new LinkedHashMap<>(); // index -> {id, name, args}
        ObjectNode result = NODES.objectNode();
        JsonNode error = NODES.nullNode();
        DoneChunk done = null;
        for (StreamChunk chunk : chunks) {
            switch (chunk) {
                case ContentChunk c -> text.append(c.delta());
                case ReasoningChunk r -> reasoning.append(r.delta());
                case ToolCallChunk t -> {
                    String[] call = calls.computeIfAbsent(t.toolCall().index(), i -> new String[] {null, null, ""});
                    if (call[0] == null) {
                        call[0] =
                                t.toolCall().callId().filter(s -> !s.isEmpty()).orElse(null);
                    }
                    if (call[1] == null) {
                        call[1] = t.toolCall().name().filter(s -> !s.isEmpty()).orElse(null);
                    }
                    call[2] += t.toolCall().argumentsDelta();
                }
                case ErrorChunk e -> {
                    ObjectNode err = NODES.objectNode();
                    err.put("type", e.error().code());
                    err.put("message", e.error().message());
                    error = err;
                }
                case DoneChunk d -> done = d;
                case UnknownChunk u -> {} // a type from a newer server adds nothing to the summary
            }
        }
        result.put("text", text.toString());
        result.put("reasoning", reasoning.toString());
        if (done != null && done.refusal().isPresent()) {
            result.put("refusal", done.refusal().get());
        }
        ArrayNode toolCalls = result.putArray("toolCalls");
        for (String[] call : calls.values()) {
            ObjectNode node = toolCalls.addObject();
            node.put("id", call[0]);
            node.put("name", call[1]);
            String raw = call[2];
            if (raw.isBlank()) {
                node.putObject("arguments");
            } else {
                try {
                    node.set("arguments", JSON.readTree(raw));
                } catch (RuntimeException e) {
                    node.putNull("arguments");
                    node.put("rawArguments", raw);
                }
            }
        }
        result.put("finishReason", done == null ? null : done.finishReason().wireName());
        if (done != null && done.usage().isPresent()) {
            Usage u = done.usage().get();
            ObjectNode usage = result.putObject("usage");
            usage.put("inputTokens", u.inputTokens());
            usage.put("outputTokens", u.outputTokens());
            putIfReported(usage, "cacheReadTokens", u.cacheReadTokens());
            putIfReported(usage, "cacheWriteTokens", u.cacheWriteTokens());
            putIfReported(usage, "reasoningTokens", u.reasoningTokens());
        } else {
            result.putNull("usage");
        }
        result.set("error", error);
        if (chunks.stream().anyMatch(ResponseSummary::hasState)) {
            result.set("parts", parts(chunks));
        }
        return result;
    }

    private static void putIfReported(ObjectNode usage, String field, long tokens) {
        if (tokens > 0) {
            usage.put(field, tokens);
        }
    }

    private static boolean hasState(StreamChunk chunk) {
        return switch (chunk) {
            case ContentChunk c -> c.state().isPresent();
            case ReasoningChunk r -> r.state().isPresent();
            case ToolCallChunk t -> t.state().isPresent();
            default -> false;
        };
    }

    /**
     * The answer's ordered parts as {@link Accumulator} groups them, each with its state:
     * {@code {"type":"reasoning"|"text","text":..,"state":{..}}} and
     * {@code {"type":"tool_call","id":..,"name":..,"state":{..}}} ({@code state} absent when none).
     * A stream whose tool arguments do not parse gives no parts ({@code null}).
     */
    private static JsonNode parts(List<? extends StreamChunk> chunks) {
        Accumulator accumulator = new Accumulator();
        for (StreamChunk chunk : chunks) {
            accumulator.add(chunk);
            if (chunk instanceof DoneChunk) {
                break; // nothing may follow done
            }
        }
        List<AnswerPart> parts;
        try {
            parts = accumulator.result().parts();
        } catch (InvalidToolArgumentsException e) {
            return NODES.nullNode();
        }
        ArrayNode array = NODES.arrayNode();
        for (AnswerPart part : parts) {
            ObjectNode node = array.addObject();
            Optional<ReasoningState> state;
            switch (part) {
                case AnswerPart.Reasoning r -> {
                    node.put("type", "reasoning").put("text", r.text());
                    state = r.state();
                }
                case AnswerPart.Text t -> {
                    node.put("type", "text").put("text", t.text());
                    state = t.state();
                }
                case ToolCall c -> {
                    node.put("type", "tool_call").put("id", c.callId()).put("name", c.name());
                    state = c.state();
                }
            }
            state.ifPresent(st -> {
                ObjectNode json = node.putObject("state").put("source", st.source());
                st.signature().ifPresent(v -> json.put("signature", v));
                st.redacted().ifPresent(v -> json.put("redacted", v));
                st.itemId().ifPresent(v -> json.put("itemId", v));
                st.encryptedContent().ifPresent(v -> json.put("encryptedContent", v));
            });
        }
        return array;
    }
}
