package io.aistream.provider.ollama;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.support.ChunkErrors;
import io.aistream.provider.support.Json;
import io.aistream.provider.support.UnknownEvents;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the JSON objects of one Ollama {@code /api/chat} stream, one per line, into chunks, and
 * keeps the turn's state (model, tool-call count, done). Not thread-safe.
 *
 * <ul>
 *   <li>{@code message.thinking} → reasoning, {@code message.content} → content,
 *       {@code message.tool_calls[]} → one whole tool call each (id as sent, else
 *       {@code call_<n>}; {@code function.arguments} object serialized compactly);</li>
 *   <li>{@code done: true} → {@code done} with {@code done_reason} {@code stop} → {@code stop}
 *       ({@code tool_calls} when calls were made), {@code length} → {@code length}, absent →
 *       {@code stop}, anything else ({@code load}, {@code unload}) → {@code other}; usage
 *       {@code prompt_eval_count} / {@code eval_count} (a missing count is 0);</li>
 *   <li>{@code {"error": "..."}} → an {@code error} chunk of type {@code provider_error} (retryable
 *       when the message says the server is busy or overloaded) and then {@code done}/{@code error};</li>
 *   <li>a line with none of {@code message}, {@code done} and {@code error} (NDJSON has no event types:
 *       this is Ollama's unknown event) is skipped and reported as {@code line:<its first field after model and created_at>} to the
 *       context's observer ({@link UnknownEvents}).</li>
 * </ul>
 */
final class OllamaLineReader {
    static final JsonMapper JSON = Jackson.mapper();

    private final DecoderContext context;
    private final UnknownEvents unknown;
    private String model;
    private int toolCalls;
    private boolean done;

    OllamaLineReader(DecoderContext context) {
        this.context = context;
        this.unknown = new UnknownEvents(context);
    }

    boolean isDone() {
        return done;
    }

    /** Reads one line's bytes; blank lines are skipped. */
    void line(byte[] buf, int off, int len, Consumer<? super StreamChunk> out) {
        if (done || isBlank(buf, off, len)) {
            return;
        }
        JsonNode node;
        try {
            node = JSON.readTree(buf, off, len);
        } catch (JacksonException e) {
            fail(
                    ownError(
                            ErrorCode.MALFORMED_EVENT,
                            "an Ollama stream line is not valid JSON: " + Json.shortDescription(e)),
                    out);
            return;
        }
        if (node == null || !node.isObject()) {
            fail(ownError(ErrorCode.MALFORMED_EVENT, "an Ollama stream line is not a JSON object"), out);
            return;
        }
        read(node, out);
    }

    /** Whether a line could be parsed as JSON; for telling a cut last line from a complete one. */
    static boolean isCompleteJson(byte[] buf, int off, int len) {
        try {
            JSON.readTree(buf, off, len);
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    private void read(JsonNode chunk, Consumer<? super StreamChunk> out) {
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            providerError(error, out);
            return;
        }
        JsonNode modelNode = chunk.get("model");
        if (modelNode != null
                && modelNode.isString()
                && !modelNode.stringValue().isEmpty()) {
            model = modelNode.stringValue();
        }
        JsonNode message = chunk.get("message");
        if (message == null && chunk.get("done") == null) {
            // every chat line has a message or done (or error): this is something else
            unknown.skipped("line:"
                    + chunk.propertyNames().stream()
                            .filter(n -> !n.equals("model") && !n.equals("created_at"))
                            .findFirst()
                            .orElse("{}"));
            return;
        }
        if (message != null && message.isObject()) {
            emitText(message.get("thinking"), true, out);
            emitText(message.get("content"), false, out);
            JsonNode calls = message.get("tool_calls");
            if (calls != null && calls.isArray()) {
                for (JsonNode call : calls.values()) {
                    toolCall(call, out);
                }
            }
        }
        if (chunk.path("done").asBoolean(false)) {
            finish(chunk, out);
        }
    }

    private static void emitText(JsonNode text, boolean reasoning, Consumer<? super StreamChunk> out) {
        if (text != null && text.isString() && !text.stringValue().isEmpty()) {
            out.accept(reasoning ? ReasoningChunk.of(text.stringValue()) : ContentChunk.of(text.stringValue()));
        }
    }

    private void toolCall(JsonNode call, Consumer<? super StreamChunk> out) {
        if (!call.isObject()) {
            return;
        }
        int index = toolCalls++;
        JsonNode id = call.get("id");
        String callId = id != null && id.isString() && !id.stringValue().isEmpty() ? id.stringValue() : "call_" + index;
        JsonNode function = call.path("function");
        JsonNode name = function.get("name");
        JsonNode args = function.get("arguments");
        String arguments;
        if (args == null || args.isNull()) {
            arguments = "{}";
        } else if (args.isString()) {
            arguments = args.stringValue();
        } else {
            arguments = JSON.writeValueAsString(args);
        }
        out.accept(ToolCallChunk.of(ToolCallDelta.start(
                index, callId, name != null && name.isString() ? name.stringValue() : "", arguments)));
    }

    private void finish(JsonNode chunk, Consumer<? super StreamChunk> out) {
        JsonNode reasonNode = chunk.get("done_reason");
        String reason = reasonNode != null && reasonNode.isString() ? reasonNode.stringValue() : "stop";
        FinishReason mapped = switch (reason) {
            case "stop" -> toolCalls > 0 ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            default -> FinishReason.OTHER;
        };
        JsonNode prompt = chunk.get("prompt_eval_count");
        JsonNode eval = chunk.get("eval_count");
        Optional<Usage> usage =
                prompt == null && eval == null ? Optional.empty() : Optional.of(Usage.of(count(prompt), count(eval)));
        emitDone(mapped, usage, out);
    }

    private static long count(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong() ? Math.max(0, node.longValue()) : 0;
    }

    private void providerError(JsonNode error, Consumer<? super StreamChunk> out) {
        String message;
        String type = "provider_error";
        if (error.isString()) {
            message = error.stringValue();
        } else if (error.isObject()) {
            JsonNode m = error.get("message");
            message = m != null && m.isString() ? m.stringValue() : error.toString();
            JsonNode t = error.get("type");
            if (t != null && t.isString() && !t.stringValue().isEmpty()) {
                type = t.stringValue();
            }
        } else {
            message = error.toString();
        }
        String lower = message.toLowerCase(Locale.ROOT);
        boolean retryable = lower.contains("server busy") || lower.contains("overloaded");
        fail(new ChunkError(type, message, retryable, Optional.of(context.provider()), OptionalInt.empty()), out);
    }

    private ChunkError ownError(ErrorCode code, String message) {
        return ChunkErrors.own(code, message, context.provider());
    }

    private void fail(ChunkError error, Consumer<? super StreamChunk> out) {
        if (done) {
            return;
        }
        out.accept(ErrorChunk.of(error));
        emitDone(FinishReason.ERROR, Optional.empty(), out);
    }

    /** The body ended before {@code done: true}. */
    void incomplete(Consumer<? super StreamChunk> out) {
        fail(ownError(ErrorCode.INCOMPLETE_STREAM, "the Ollama stream ended before its done line"), out);
    }

    private void emitDone(FinishReason reason, Optional<Usage> usage, Consumer<? super StreamChunk> out) {
        done = true;
        out.accept(DoneChunk.of(reason)
                .withMetadata(
                        usage, Optional.of(context.provider()), Optional.of(model != null ? model : context.model())));
    }

    private static boolean isBlank(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
